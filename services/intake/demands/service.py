"""Drafting, submitting (需求征集) and publishing (发榜) demands."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.audit import record
from common.auth import Claims
from common.errors import Conflict, RuleViolation, RuleViolationItem, Unprocessable
from common.http import ServiceClient
from common.policy import enforce
from common.rulesets.schema import RuleSet
from services.intake import drafts
from services.intake.access import local_time, require_org
from services.intake.challenges import service as challenges
from services.intake.challenges.models import Challenge
from services.intake.db import AuditLog
from services.intake.demands import policy
from services.intake.demands.models import DRAFT, PUBLISHED, SUBMITTED, Demand
from services.intake.demands.schemas import DemandCreate, DemandUpdate
from services.intake.documents import service as documents
from services.intake.organizations import repository as organizations
from services.intake.overrides import override_entries
from services.intake.rounds import repository as rounds


def _check_codes(ruleset: RuleSet, category: str | None, field: str | None) -> None:
    if category is not None and ruleset.category(category) is None:
        raise Unprocessable(
            f"Category '{category}' is not used in this city",
            code="demand.unknown_category",
            clause=ruleset.categories_clause,
        )
    if field is not None and field not in ruleset.field_codes():
        raise Unprocessable(
            f"'{field}' is not an industry field of this city",
            code="demand.unknown_field",
            clause=ruleset.fields_clause,
        )


async def create(
    session: AsyncSession, user: Claims, ruleset: RuleSet, data: DemandCreate
) -> Demand:
    org_id = require_org(user)
    if await organizations.get(session, user.city, org_id) is None:
        raise Unprocessable("Your organisation is not registered", code="organization.unknown")
    round_ = await rounds.get(session, user.city, data.round_id)
    if round_ is None:
        raise Unprocessable("Unknown round", code="demand.unknown_round")
    _check_codes(ruleset, data.category, data.field)
    values = data.model_dump(exclude_none=True, exclude={"documents"})
    demand = Demand(
        **values,
        city=user.city,
        owner_org_id=org_id,
        created_by=user.sub,
        status=DRAFT,
        round=round_,
    )
    session.add(demand)
    await session.flush()
    if data.documents:
        demand.documents = await documents.file_under(
            session, user, "demand", demand.id, data.documents, {demand.owner_org_id}
        )
    record(
        session,
        AuditLog,
        user,
        entity="demand",
        entity_id=demand.id,
        action="create",
        to_state=DRAFT,
    )
    return demand


async def update(
    session: AsyncSession, user: Claims, ruleset: RuleSet, demand: Demand, data: DemandUpdate
) -> Demand:
    changes = data.model_dump(exclude_unset=True)
    _check_codes(ruleset, changes.get("category"), changes.get("field"))
    if data.documents is not None:
        changes["documents"] = await documents.file_under(
            session, user, "demand", demand.id, data.documents, {demand.owner_org_id}
        )
    await drafts.apply_update(
        session,
        user,
        "demand",
        demand,
        changes,
        not_null=("category", "title", "classified", "core_indicators", "documents"),
    )
    return demand


def _facts(demand: Demand, present: frozenset[str]) -> policy.DemandFacts:
    return policy.DemandFacts(
        category=demand.category,
        field=demand.field,
        problem=demand.problem,
        core_indicators=demand.core_indicators or [],
        due_months=demand.due_months,
        expected_results=demand.expected_results,
        end_users=demand.end_users,
        total_investment=demand.total_investment,
        bounty_amount=demand.bounty_amount,
        classified=demand.classified,
        evaluation_opinion=demand.evaluation_opinion,
        project_manager=demand.project_manager,
        document_kinds=present,
    )


async def submit(
    session: AsyncSession,
    user: Claims,
    ruleset: RuleSet,
    demand: Demand,
    override_reason: str | None,
) -> Demand:
    round_ = demand.round
    now = clock.now()
    if not round_.collection_opens_at <= now < round_.collection_closes_at:
        raise Conflict(
            "Demands are collected from "
            f"{local_time(round_.collection_opens_at, ruleset.timezone)} until "
            f"{local_time(round_.collection_closes_at, ruleset.timezone)}",
            code="demand.outside_collection_window",
        )
    present = await documents.present(session, demand.city, demand.documents, {demand.owner_org_id})
    facts = _facts(demand, present)
    violations = policy.submission_violations(ruleset, facts, round_.fields_open)
    overridden = enforce(violations, user=user, override_reason=override_reason)
    owner = await organizations.get(session, user.city, demand.owner_org_id)
    demand.over_quota = policy.marks_over_quota(ruleset, bool(owner and owner.over_quota))
    demand.overrides = [*demand.overrides, *override_entries(overridden, user, override_reason)]
    demand.status, demand.submitted_at = SUBMITTED, now
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="demand",
        entity_id=demand.id,
        action="submit",
        from_state=DRAFT,
        to_state=SUBMITTED,
        reason=override_reason if overridden else None,
        data={"over_quota": demand.over_quota, "overridden": [v.code for v in overridden]},
    )
    return demand


async def _vettings(services: ServiceClient, demand: Demand) -> list[dict[str, Any]]:
    data = await services.json(
        "GET", "/api/v1/vettings", city=demand.city, params={"demand_id": str(demand.id)}
    )
    items = data.get("items", []) if isinstance(data, dict) else data
    return [v for v in items if isinstance(v, dict) and str(v.get("demand_id")) == str(demand.id)]


async def publish(
    session: AsyncSession,
    user: Claims,
    ruleset: RuleSet,
    demand: Demand,
    services: ServiceClient,
) -> Challenge:
    closes = demand.round.publication_closes_at
    if clock.now() >= closes:
        raise Conflict(
            f"The round's publication window closed at {local_time(closes, ruleset.timezone)}",
            code="demand.publication_closed",
        )
    decision = policy.vetting_passed(await _vettings(services, demand), ruleset)
    if not decision.passed:
        raise RuleViolation.of(
            [
                RuleViolationItem(
                    code="ruleset.vetting_not_passed",
                    clause=decision.clause,
                    detail=f"Passed expert vettings: {decision.passes} of {decision.required}",
                    detail_zh=f"专家论证通过{decision.passes}次，须至少{decision.required}次",
                )
            ]
        )
    challenge = await challenges.publish(session, user, demand)
    demand.status, demand.published_at = PUBLISHED, clock.now()
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="demand",
        entity_id=demand.id,
        action="publish",
        from_state=SUBMITTED,
        to_state=PUBLISHED,
        data={"challenge_id": str(challenge.id)},
    )
    return challenge
