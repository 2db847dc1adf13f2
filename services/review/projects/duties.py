"""Duties the texts name on a project, recorded by the bureau or the owner.

URC 三(四): the owner signs a responsibility letter and names a project manager before the
project starts — until then the project takes no change request, mid-term check or acceptance.
Mid-term check: releases the tranches a rule set makes due at mid-term (``due: midterm``),
through the outbox to finance. HZ 三(五): the contract is signed after 立项.

Tests: tests/review/procedure/test_duties.py.
"""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.audit import record
from common.auth import Claims, Role
from common.errors import Conflict, Forbidden
from common.rulesets.schema import RuleSet
from services.review.db import AuditLog
from services.review.outbox import service as outbox
from services.review.projects.duties_schemas import (
    ContractCreate,
    MidtermCheckCreate,
    OwnerDutiesCreate,
)
from services.review.projects.models import Project

FUNDING_PATH = "/api/v1/funding"


def require_started(rules: RuleSet, project: Project) -> None:
    """409 while the owner's duties the rule set requires are not on record."""
    duties = rules.demands.owner_duties
    if duties and duties.responsibility_letter_required and not project.owner_duties:
        raise Conflict(
            "The owner has not yet signed the responsibility letter and named the project "
            "manager; the project has not started",
            code="project.owner_duties_missing",
            clause=duties.clause,
            detail_zh="业主尚未签订业主责任书并确定项目经理人，项目未启动",
        )


def _audit(session: AsyncSession, user: Claims, project: Project, action: str, **data: Any) -> None:
    record(
        session, AuditLog, user, entity="project", entity_id=project.id, action=action, data=data
    )


async def record_owner_duties(
    session: AsyncSession, user: Claims, rules: RuleSet, project: Project, data: OwnerDutiesCreate
) -> Project:
    if user.role not in (Role.demand_owner, Role.bureau):
        raise Forbidden("The owner or the bureau records the owner's duties", code="auth.role")
    if project.owner_duties:
        raise Conflict("The owner's duties are already recorded", code="project.owner_duties_done")
    project.owner_duties = {**data.model_dump(mode="json"), "recorded_by": user.sub}
    await session.flush()
    _audit(session, user, project, "owner_duties", manager=data.project_manager.name)
    return project


async def record_midterm(
    session: AsyncSession, user: Claims, rules: RuleSet, project: Project, data: MidtermCheckCreate
) -> Project:
    midterm = [t for t in rules.funding.tranches if t.due == "midterm"]
    if not midterm:
        raise Conflict("This city's plan has no mid-term tranche", code="project.no_midterm")
    require_started(rules, project)
    if project.status != "active":
        raise Conflict("The project is no longer active", code="project.accepted")
    if project.midterm and project.midterm.get("outcome") == "passed":
        raise Conflict("The mid-term check has passed already", code="project.midterm_done")
    body = data.model_dump(mode="json")
    project.midterm = {**body, "recorded_by": user.sub}
    if data.outcome == "passed":  # a failed check changes nothing in finance: no delivery
        outbox.enqueue(
            session,
            project.city,
            project.id,
            "midterm",
            f"{FUNDING_PATH}/{project.id}/midterm",
            {k: body[k] for k in ("outcome", "checked_on", "opinion")},
        )
    await session.flush()
    _audit(session, user, project, "midterm", outcome=data.outcome, clause=midterm[0].clause)
    return project


async def record_contract(
    session: AsyncSession, user: Claims, rules: RuleSet, project: Project, data: ContractCreate
) -> Project:
    if "contract" not in rules.procedure.codes():
        raise Conflict("This city's procedure has no separate contract", code="procedure.no_step")
    if project.contract:
        raise Conflict("The contract is already recorded", code="project.contract_done")
    project.contract = {**data.model_dump(mode="json"), "recorded_by": user.sub}
    await session.flush()
    _audit(session, user, project, "contract", signed_on=data.signed_on.isoformat())
    return project
