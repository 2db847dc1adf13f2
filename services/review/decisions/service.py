"""The bureau's decision (立项) after the steps its rule set puts first; approval creates the
project and tells finance through the outbox once the decision has committed
(services.review.outbox).

The decision's and the project's ids are derived from the application decided (one decision
per application), so a decision retried after any failure names the same project, and
finance — idempotent on the project — keeps exactly one plan."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.audit import record
from common.auth import Claims
from common.db import derived_id
from common.documents import DocumentRef
from common.errors import Conflict, Unprocessable
from common.http import ServiceClient
from common.policy import enforce
from common.rulesets.schema import RuleSet
from services.review.agreements import service as agreements
from services.review.db import AuditLog
from services.review.decisions import repository
from services.review.decisions.budget import ensure_budget_holds
from services.review.decisions.models import Decision
from services.review.decisions.policy import (
    agreement_violations,
    blockers,
    money_step,
    outcome,
)
from services.review.decisions.schemas import DecisionCreate
from services.review.documents import service as filed
from services.review.explain import quoted
from services.review.outbox import service as outbox
from services.review.procedure import repository as procedure
from services.review.procedure.policy import done_steps, out_of_order
from services.review.projects import service as projects
from services.review.results import repository as reviews
from services.review.results.service import ready, review_of
from services.review.upstream import Intake


async def verified_documents(
    intake: Intake, user: Claims, rules: RuleSet, data: DecisionCreate
) -> list[DocumentRef]:
    """The decision's files, checked with intake: a signed agreement needs its document
    (``documents.decision``), uploaded by the bureau or a party of the application."""
    if not data.documents and not (data.outcome == "approve" and data.agreement_signed_at):
        return []
    application = await intake.application(data.application_id)
    parties = [
        UUID(str(o))
        for o in [
            application["owner_org_id"],
            application["lead_org_id"],
            *(application.get("member_org_ids") or []),
        ]
    ]
    required = rules.documents.decision if data.agreement_signed_at else []
    return await filed.verified(intake, user, required, data.documents, "decision", parties)


async def decide(
    session: AsyncSession,
    user: Claims,
    rules: RuleSet,
    intake: Intake,
    services: ServiceClient,
    data: DecisionCreate,
    documents: Sequence[DocumentRef] = (),
) -> Decision:
    await _prefetch(intake, data)  # before any row is locked
    review = await review_of(session, user.city, data.challenge_id, lock=True)
    waiting = blockers(
        review.status,
        review.publicity_closes_at,
        clock.now(),
        await reviews.open_objections(session, user.city, data.challenge_id),
    )
    if waiting:
        raise Conflict(waiting[0].detail, code=waiting[0].code)
    ready(review)
    if not await reviews.is_winner(session, user.city, data.challenge_id, data.application_id):
        raise Unprocessable(
            "Only a winning application can be decided",
            code="decision.not_winner",
            clause=rules.review.winner.clause,
        )
    if await repository.for_application(session, user.city, data.application_id):
        raise Conflict("This application has already been decided", code="decision.duplicate")
    if data.outcome == "approve":
        await _in_order(session, rules, data.application_id)
    enforce(agreement_violations(rules, data.agreement_signed_at, clock.now()), user=user)
    application = await intake.application(data.application_id)
    if application.get("status") != "submitted":
        raise Conflict(
            f"The application is {application.get('status')}; only a submitted one is decided",
            code="decision.application_not_submitted",
        )
    if data.outcome == "approve":
        await intake.require_unaffiliated(
            rules,
            application["owner_org_id"],
            [application["lead_org_id"], *(application.get("member_org_ids") or [])],
        )
    result, step = outcome(rules, data.outcome == "approve", data.agreement_signed_at)
    decision = Decision(
        id=derived_id("decision", user.city, data.application_id),
        city=user.city,
        challenge_id=data.challenge_id,
        application_id=data.application_id,
        outcome=result,
        reason=data.reason,
        decided_by=user.sub,
        explanation=quoted(rules, [step]),
    )
    parties: list[UUID] = []
    if result == "approved":
        base = await agreements.money_base(session, user, rules, intake, application)
        demand = await intake.demand(review.demand_id)
        project = projects.create(
            session,
            user,
            rules,
            application=application,
            demand=demand,
            base=base,
            agreement_signed_at=data.agreement_signed_at,
        )
        decision.explanation = quoted(rules, [step, money_step(base)])
        await session.flush()
        decision.project_id = project.id
        plan = projects.funding_body(project)
        await ensure_budget_holds(services, user.city, plan)
        outbox.enqueue(session, user.city, project.id, "funding", projects.FUNDING_PATH, plan)
        parties = [project.owner_org_id, project.solver_org_id]
    session.add(decision)
    await session.flush()
    if decision.project_id and documents:
        # Filed only with a project: a rejection's uploads stay unattached and expire.
        filed.file(
            session,
            user.city,
            decision.project_id,
            "decision",
            decision.id,
            documents,
            filed.readers(parties),
        )
    record(
        session,
        AuditLog,
        user,
        entity="decision",
        entity_id=decision.id,
        action="decide",
        to_state=result,
        reason=data.reason,
    )
    return decision


async def _prefetch(intake: Intake, data: DecisionCreate) -> None:
    """Read the application, its demand and (for an approval's affiliation re-check) its
    organisations from intake before the review row is locked; the request's ``Intake`` keeps
    them, so no HTTP call is made while a row lock is held."""
    application = await intake.application(data.application_id)
    await intake.demand(UUID(str(application["demand_id"])))
    if data.outcome == "approve":
        members = application.get("member_org_ids") or []
        for org in [application["owner_org_id"], application["lead_org_id"], *members]:
            await intake.organization(UUID(str(org)))


async def _in_order(session: AsyncSession, rules: RuleSet, application_id: UUID) -> None:
    """立项 only after the steps the rule set puts before it (publicity has ended — checked
    above — and, in Huzhou, the joint review and the meeting's approval, HZ 三(四)4–三(五)).
    The agreement step is the ``not_completed`` outcome (URC 二(五))."""
    proposal = await procedure.proposal(session, rules.city, application_id)
    if proposal is not None and proposal.status == "rejected":
        raise Conflict(
            "The decision meeting did not approve this proposal",
            code="procedure.rejected",
            clause=(rules.procedure.step("decision_meeting") or rules.procedure.steps[0]).clause,
        )
    done = done_steps([proposal] if proposal else [], [application_id])
    conflict = out_of_order(rules, "establishment", done | {"publicity", "agreement"})
    if conflict:
        raise conflict
