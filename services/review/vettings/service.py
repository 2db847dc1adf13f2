"""Assigning vetting experts and filing vettings (遴选评审)."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from common.audit import record
from common.auth import Claims, Role
from common.errors import Conflict, Forbidden, RuleViolation, Unprocessable
from common.policy import enforce
from common.rulesets.schema import RuleSet
from services.review.db import AuditLog
from services.review.experts import repository as experts
from services.review.experts.service import facts
from services.review.panels.policy import demand_conflicts
from services.review.upstream import Intake, org_facts
from services.review.vettings import repository
from services.review.vettings.models import Vetting, VettingAssignment
from services.review.vettings.policy import criteria_violations
from services.review.vettings.schemas import AssignmentCreate, VettingCreate


async def assign(
    session: AsyncSession, user: Claims, rules: RuleSet, intake: Intake, data: AssignmentCreate
) -> list[VettingAssignment]:
    ids = list(dict.fromkeys(data.expert_ids))
    pool = await experts.get_many(session, user.city, ids)
    if len(pool) != len(ids):
        raise Unprocessable(
            "Some experts are not in this city's pool", code="vetting.unknown_expert"
        )
    demand = await intake.demand(data.demand_id)
    owner = org_facts(await intake.organization(UUID(str(demand["owner_org_id"]))))
    found = demand_conflicts(rules, [facts(e) for e in pool], data.demand_id, owner)
    if found:
        raise RuleViolation.of([c.violation.item() for c in found])
    already = await repository.assigned_expert_ids(session, user.city, data.demand_id)
    created = []
    for expert in pool:
        if expert.id in already:
            continue
        row = VettingAssignment(
            city=user.city, demand_id=data.demand_id, expert_id=expert.id, assigned_by=user.sub
        )
        session.add(row)
        created.append(row)
    await session.flush()
    for row in created:
        record(
            session,
            AuditLog,
            user,
            entity="vetting_assignment",
            entity_id=row.id,
            action="assign",
            to_state=str(row.expert_id),
        )
    return created


async def file(session: AsyncSession, user: Claims, rules: RuleSet, data: VettingCreate) -> Vetting:
    expert_id: UUID | None = None
    if user.role == Role.expert:
        expert_id = expert_id_of(user)
        if not await repository.is_assigned(session, user.city, data.demand_id, expert_id):
            raise Forbidden("You are not assigned to vet this demand", code="vetting.not_assigned")
    enforce(criteria_violations(rules, data.criteria), user=user)
    if expert_id is not None and await repository.exists(
        session, user.city, data.demand_id, expert_id
    ):
        raise Conflict("You have already vetted this demand", code="vetting.duplicate")
    vetting = Vetting(
        city=user.city,
        demand_id=data.demand_id,
        expert_id=expert_id,
        vetted_by=user.sub,
        vetted_by_role=str(user.role),
        verdict=data.verdict,
        criteria={
            k: v.model_dump(mode="json", exclude_none=True) for k, v in data.criteria.items()
        },
        field_visit_note=data.field_visit_note,
    )
    session.add(vetting)
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="vetting",
        entity_id=vetting.id,
        action="file",
        to_state=data.verdict,
    )
    return vetting


def expert_id_of(user: Claims) -> UUID:
    try:
        return UUID(user.sub)
    except ValueError:
        raise Forbidden("This token names no expert of the pool", code="expert.unknown") from None
