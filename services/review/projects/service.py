"""Projects: creation on approval, change requests (过程管理) and acceptance (验收)."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.audit import record
from common.auth import Claims
from common.db import derived_id
from common.documents import DocumentRef
from common.errors import Conflict, NotFound, Unprocessable
from common.policy import enforce
from common.rulesets.schema import RuleSet
from services.review.agreements.policy import MoneyBase
from services.review.db import AuditLog
from services.review.documents import service as filed
from services.review.projects import repository
from services.review.projects.duties import require_started
from services.review.projects.models import Project, ProjectChange
from services.review.projects.policy import change_violations
from services.review.projects.schemas import ChangeCreate, ChangeDecision
from services.review.upstream import Intake

FUNDING_PATH = "/api/v1/funding"


ZERO = Decimal("0.00")


def create(
    session: AsyncSession,
    user: Claims,
    rules: RuleSet,
    *,
    application: dict[str, Any],
    demand: dict[str, Any],
    base: MoneyBase,
    agreement_signed_at: datetime | None,
) -> Project:
    """A project from the winning application, its demand, and the money base (the submitted
    facts, or approved agreement terms: services.review.agreements)."""
    project = Project(
        # The project is what the decision on this application approved: a retried decision
        # names the same project (finance is idempotent on it).
        id=derived_id("project", user.city, application["id"]),
        city=user.city,
        challenge_id=UUID(str(application["challenge_id"])),
        demand_id=UUID(str(demand["id"])),
        round_id=UUID(str(demand["round_id"])),
        application_id=UUID(str(application["id"])),
        owner_org_id=UUID(str(demand["owner_org_id"])),
        solver_org_id=UUID(str(application["lead_org_id"])),
        member_org_ids=[str(m) for m in application.get("member_org_ids") or []],
        pi=application.get("pi"),
        indicators=demand.get("core_indicators") or [],
        category=str(demand.get("category")),
        ruleset_version=rules.version,
        bounty_amount=base.bounty_amount,
        equity_contribution_valuation=base.equity_contribution_valuation,
        total_investment=base.total_investment,
        requested_subsidy=base.requested_subsidy if base.requested_subsidy is not None else ZERO,
        over_quota=bool(demand.get("over_quota")),
        agreement_signed_at=agreement_signed_at,
        status="active",
        extension_months=0,
    )
    session.add(project)
    return project


def funding_body(project: Project) -> dict[str, Any]:
    """``FundingPlanCreate`` of docs/service-contracts.md, built at the decision: its
    ``approved_at`` (the platform's clock now) gives the budget year of the plan."""
    return {
        "project_id": str(project.id),
        "city": project.city,
        "ruleset_version": project.ruleset_version,
        "challenge_id": str(project.challenge_id),
        "round_id": str(project.round_id),
        "owner_org_id": str(project.owner_org_id),
        "solver_org_id": str(project.solver_org_id),
        "category": project.category,
        "bounty_amount": f"{project.bounty_amount:.2f}",
        "equity_contribution_valuation": f"{project.equity_contribution_valuation:.2f}",
        "total_investment": f"{project.total_investment:.2f}",
        "requested_subsidy": f"{project.requested_subsidy:.2f}",
        "over_quota": project.over_quota,
        "approved_at": clock.now().isoformat(),
    }


def parties(project: Project) -> list[UUID]:
    """The organisations of a project: owner, solver (lead) and the consortium's members."""
    members = [UUID(str(m)) for m in project.member_org_ids or []]
    return [project.owner_org_id, project.solver_org_id, *members]


def readers(project: Project, *, auditors: bool = False) -> dict[str, Any]:
    """Who reads the project's files: those who read the project (owner, solver)."""
    return filed.readers([project.owner_org_id, project.solver_org_id], auditors=auditors)


async def request_change(
    session: AsyncSession,
    user: Claims,
    rules: RuleSet,
    project: Project,
    data: ChangeCreate,
    documents: Sequence[DocumentRef] = (),
) -> ProjectChange:
    require_started(rules, project)
    enforce(
        change_violations(
            rules,
            data.kind,
            months=data.months,
            extended_so_far=project.extension_months,
            reason=data.reason,
            document_kinds=frozenset(d.kind for d in data.documents),
        ),
        user=user,
    )
    _require_payload(data)
    change = ProjectChange(
        city=user.city,
        project_id=project.id,
        kind=data.kind,
        status="pending",
        payload=data.model_dump(mode="json", exclude_none=True, exclude={"kind", "reason"}),
        reason=data.reason,
        requested_by=user.sub,
    )
    session.add(change)
    await session.flush()
    filed.file(
        session, user.city, project.id, "project_change", change.id, documents, readers(project)
    )
    record(
        session,
        AuditLog,
        user,
        entity="project_change",
        entity_id=change.id,
        action=f"request_{data.kind}",
        to_state="pending",
        reason=data.reason,
    )
    return change


def _require_payload(data: ChangeCreate) -> None:
    needed = {"extension": data.months, "member_change": data.member_org_ids, "pi_change": data.pi}
    if data.kind in needed and needed[data.kind] is None:
        field = {"extension": "months", "member_change": "member_org_ids", "pi_change": "pi"}
        raise Unprocessable(
            f"A {data.kind} needs '{field[data.kind]}'", code="projects.change_incomplete"
        )


async def recheck_members(
    session: AsyncSession,
    rules: RuleSet,
    project: Project,
    change_id: UUID,
    data: ChangeDecision,
    intake: Intake,
) -> None:
    """Approving a member change checks the new members against the owner as registered now
    (URC 二(三)); called before any row is locked, since it asks intake. A change's payload never
    changes, so the check still holds when the change is decided under the lock."""
    if not data.approve:
        return
    change = await repository.change(session, project.id, change_id, lock=False)
    if change is not None and change.kind == "member_change":
        members = change.payload.get("member_org_ids") or []
        await intake.require_unaffiliated(
            rules, project.owner_org_id, [project.solver_org_id, *members]
        )


async def decide_change(
    session: AsyncSession,
    user: Claims,
    rules: RuleSet,
    project: Project,
    change_id: UUID,
    data: ChangeDecision,
) -> ProjectChange:
    change = await repository.change(session, project.id, change_id)
    if change is None:
        raise NotFound("No such change request", code="project_change.not_found")
    if change.status != "pending":
        raise Conflict("The change request is already decided", code="project_change.decided")
    if data.approve:
        enforce(
            change_violations(
                rules,
                change.kind,
                months=change.payload.get("months"),
                extended_so_far=project.extension_months,
                reason=change.reason,
                document_kinds=frozenset(d["kind"] for d in change.payload.get("documents", [])),
            ),
            user=user,
        )
        _apply(project, change)
    change.status = "approved" if data.approve else "rejected"
    change.decided_by, change.decision_reason = user.sub, data.reason
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="project_change",
        entity_id=change.id,
        action="decide",
        from_state="pending",
        to_state=change.status,
        reason=data.reason,
    )
    return change


def _apply(project: Project, change: ProjectChange) -> None:
    if change.kind == "extension":
        project.extension_months += int(change.payload["months"])
    elif change.kind == "member_change":
        project.member_org_ids = list(change.payload["member_org_ids"])
    elif change.kind == "pi_change":
        project.pi = dict(change.payload["pi"])
