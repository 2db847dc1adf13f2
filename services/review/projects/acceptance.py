"""Acceptance (验收) of a project: recorded once with the facts the city's settlement needs,
corrected (reasoned, audited, revision by revision) until finance has settled it, and handed to
finance through the outbox (services.review.outbox.service). Who accepted and the audit firm
(URC 二(七)) stay on the project's record; finance receives the outcome and the figures."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.audit import record
from common.auth import Claims
from common.documents import DocumentRef
from common.errors import Conflict, JiebangError, ServiceUnavailable, Unprocessable
from common.http import ServiceClient
from common.policy import enforce
from common.rulesets.schema import RuleSet
from services.review.db import AuditLog
from services.review.documents import service as filed
from services.review.outbox import service as outbox
from services.review.projects.duties import require_started
from services.review.projects.models import Project
from services.review.projects.policy import acceptance_fact_violations, acceptance_violations
from services.review.projects.schemas import AcceptanceCorrection, ProjectAcceptanceCreate
from services.review.projects.service import FUNDING_PATH, readers

FACTS = ("audited_total_investment", "audited_bounty_paid", "unused_amount", "noncompliant_amount")
RECORD_ONLY = {"accepted_by", "audit_report", "documents"}


async def funding_of(services: ServiceClient, project: Project) -> dict[str, Any]:
    """Finance's plan: what was paid, and whether it is settled. A plan still on its way
    (the decision's outbox has not delivered it yet) is a passing state: 503 with
    Retry-After, so the client sends the same acceptance again, never a 404."""
    try:
        plan: dict[str, Any] = await services.json(
            "GET", f"{FUNDING_PATH}/{project.id}", city=project.city
        )
    except JiebangError as exc:
        if exc.status != 404:
            raise
        raise ServiceUnavailable(
            "The project's funding plan has not reached finance yet; send the acceptance again",
            code="acceptance.plan_pending",
            detail_zh="该项目的资助计划尚未送达财务服务，请稍后重新提交验收",
            headers={"Retry-After": "2"},
        ) from exc
    return plan


def _status(outcome: str) -> str:
    """A project that closed without passing or failed is not "accepted" (HZ 三(八))."""
    return outcome if outcome in ("closed", "failed") else "accepted"


def _check(
    rules: RuleSet, user: Claims, project: Project, data: ProjectAcceptanceCreate, paid: Decimal
) -> None:
    require_started(rules, project)
    by = data.accepted_by.kind if data.accepted_by else None
    firm = data.audit_report.firm_name if data.audit_report else None
    facts = {f: getattr(data, f) for f in FACTS}
    found = acceptance_violations(rules, by, firm)
    enforce([*found, *acceptance_fact_violations(rules, facts, paid)], user=user)


async def accept(
    session: AsyncSession,
    user: Claims,
    rules: RuleSet,
    project: Project,
    data: ProjectAcceptanceCreate,
    funding: dict[str, Any],
    documents: Sequence[DocumentRef] = (),
) -> Project:
    if project.status != "active":
        raise Conflict("The project has already been accepted", code="project.accepted")
    _check(rules, user, project, data, Decimal(str(funding["paid"])))
    body = data.model_dump(mode="json", exclude=RECORD_ONLY)
    files = [d.model_dump(mode="json") for d in documents]
    project.acceptance = {
        **data.model_dump(mode="json", exclude={"documents"}),
        "documents": files,
        "recorded_by": user.sub,
    }
    # The opinion and the audit report are read by auditors too (URC 二(七), HZ 三(八)).
    filed.file(
        session,
        user.city,
        project.id,
        "acceptance",
        project.id,
        documents,
        readers(project, auditors=True),
    )
    await _hand_over(session, user, project, body, _status(data.outcome), "accept", None)
    return project


async def _hand_over(
    session: AsyncSession,
    user: Claims,
    project: Project,
    body: dict[str, Any],
    status: str,
    action: str,
    reason: str | None,
    data: dict[str, Any] | None = None,
) -> None:
    """The new state, the finance call in the outbox (one row per revision), the audit entry."""
    revision = int(body.get("revision") or 0)
    before, project.status = project.status, status
    kind = f"acceptance:{revision}" if revision else "acceptance"
    outbox.enqueue(
        session, project.city, project.id, kind, f"{FUNDING_PATH}/{project.id}/acceptance", body
    )
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="project",
        entity_id=project.id,
        action=action,
        from_state=before,
        to_state=status,
        reason=reason,
        data=data or {"outcome": body["outcome"]},
    )


async def correct(
    session: AsyncSession,
    user: Claims,
    rules: RuleSet,
    project: Project,
    data: AcceptanceCorrection,
    funding: dict[str, Any],
) -> Project:
    """A new revision of the recorded acceptance, with its reason, before settlement."""
    if project.acceptance is None:
        raise Conflict("No acceptance is recorded yet", code="acceptance.not_recorded")
    if funding.get("status") == "settled":
        raise Conflict(
            "The project is settled; its acceptance can no longer be corrected",
            code="acceptance.settled",
        )
    if data.documents:
        raise Unprocessable(
            "A correction keeps the acceptance's stored files; send it without documents",
            code="acceptance.documents_kept",
        )
    _check(rules, user, project, data, Decimal(str(funding["paid"])))
    before = dict(project.acceptance)
    revision = int(before.get("revision") or 0) + 1
    revised = {"revision": revision, "correction_reason": data.reason}
    body = {**data.model_dump(mode="json", exclude={"reason", *RECORD_ONLY}), **revised}
    project.acceptance = {
        **data.model_dump(mode="json", exclude={"reason", "documents"}),
        "documents": before.get("documents", []),
        **revised,
        "recorded_by": before.get("recorded_by"),
        "corrected_by": user.sub,
    }
    await _hand_over(
        session,
        user,
        project,
        body,
        _status(data.outcome),
        "correct_acceptance",
        data.reason,
        {"revision": revision, "before": before, "after": project.acceptance},
    )
    return project
