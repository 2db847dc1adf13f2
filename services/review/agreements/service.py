"""Agreement-terms changes: proposed with a reason, approved by a second bureau user (four
eyes), applied by the decision (services.review.decisions.service)."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.audit import record
from common.auth import Claims
from common.errors import Conflict, Forbidden, NotFound, Unprocessable
from common.money_base import base_violations
from common.policy import enforce
from common.rulesets.schema import RuleSet
from services.review.agreements import repository
from services.review.agreements.models import AgreementTerms
from services.review.agreements.policy import ApprovedTerms, MoneyBase, submitted_base, with_terms
from services.review.agreements.schemas import TermsCreate, TermsDecision
from services.review.db import AuditLog
from services.review.decisions import repository as decisions
from services.review.upstream import Intake


def approved(terms: AgreementTerms) -> ApprovedTerms:
    return ApprovedTerms(
        str(terms.id),
        terms.bounty_amount,
        terms.total_investment,
        terms.equity_contribution_valuation,
    )


async def money_base(
    session: AsyncSession,
    user: Claims,
    rules: RuleSet,
    intake: Intake,
    application: dict[str, object],
    proposed: ApprovedTerms | None = None,
) -> MoneyBase:
    """The submitted facts with the latest approved terms (or the proposed ones), checked
    against the rule set's floor (common.money_base); a pending change blocks."""
    demand = await intake.demand(UUID(str(application["demand_id"])))
    changes = await repository.for_application(session, user.city, UUID(str(application["id"])))
    if proposed is None and any(c.status == "pending" for c in changes):
        raise Conflict(
            "An agreement-terms change awaits its second approval",
            code="decision.terms_pending",
        )
    latest = next((c for c in changes if c.status == "approved"), None)
    if proposed is None and latest is not None:
        proposed = approved(latest)
    base = with_terms(submitted_base(demand, application), proposed)
    enforce(
        base_violations(
            rules,
            total_investment=base.total_investment,
            bounty_amount=base.bounty_amount,
            requested_subsidy=base.requested_subsidy,
        ),
        user=user,
    )
    return base


async def propose(
    session: AsyncSession, user: Claims, rules: RuleSet, intake: Intake, data: TermsCreate
) -> AgreementTerms:
    application = await intake.application(data.application_id)
    if str(application["challenge_id"]) != str(data.challenge_id):
        raise Unprocessable(
            "The application does not answer this challenge", code="agreement_terms.challenge"
        )
    if await decisions.for_application(session, user.city, data.application_id):
        raise Conflict("This application has already been decided", code="decision.duplicate")
    if any(
        c.status == "pending"
        for c in await repository.for_application(session, user.city, data.application_id)
    ):
        raise Conflict("A change is already pending", code="agreement_terms.pending")
    proposed = ApprovedTerms(
        "proposed", data.bounty_amount, data.total_investment, data.equity_contribution_valuation
    )
    await money_base(session, user, rules, intake, application, proposed)
    terms = AgreementTerms(
        **{f: getattr(data, f) for f in TermsCreate.model_fields},
        city=user.city,
        status="pending",
        proposed_by=user.sub,
    )
    session.add(terms)
    await session.flush()
    _audit(session, user, terms, "propose", None, data.reason)
    return terms


async def decide(
    session: AsyncSession, user: Claims, rules: RuleSet, terms_id: UUID, data: TermsDecision
) -> AgreementTerms:
    terms = await get(session, user, terms_id, lock=True)
    if terms.status != "pending":
        raise Conflict("The change is already decided", code="agreement_terms.decided")
    if terms.proposed_by == user.sub:
        raise Forbidden(
            "The user who proposed the terms cannot also approve them",
            code="four_eyes.same_user",
            clause=rules.funding.four_eyes_clause,
            detail_zh="提出协议条款变更的人员不得自行审批",
        )
    if await decisions.for_application(session, user.city, terms.application_id):
        raise Conflict("This application has already been decided", code="decision.duplicate")
    terms.status = "approved" if data.approve else "rejected"
    terms.decided_by, terms.decision_reason, terms.decided_at = user.sub, data.reason, clock.now()
    await session.flush()
    _audit(session, user, terms, "decide", "pending", data.reason)
    return terms


async def get(
    session: AsyncSession, user: Claims, terms_id: UUID, *, lock: bool = False
) -> AgreementTerms:
    terms = await repository.get(session, user.city, terms_id, lock=lock)
    if terms is None:
        raise NotFound("No such agreement-terms change", code="agreement_terms.not_found")
    return terms


def _audit(
    session: AsyncSession,
    user: Claims,
    terms: AgreementTerms,
    action: str,
    before: str | None,
    reason: str | None,
) -> None:
    record(
        session,
        AuditLog,
        user,
        entity="agreement_terms",
        entity_id=terms.id,
        action=action,
        from_state=before,
        to_state=terms.status,
        reason=reason,
        data={
            f: f"{getattr(terms, f):.2f}"
            for f in ("bounty_amount", "total_investment", "equity_contribution_valuation")
            if getattr(terms, f) is not None
        },
    )
