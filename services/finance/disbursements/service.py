"""Paying a due tranche (拨付), with four eyes (双人复核) on large amounts.

Lock order: the tranche row, then the disbursement row, then (inside the ledger) the city's
chain head. The tranche lock makes concurrent requests for one tranche queue; the first pays,
the others find it paid (409). The unique tranche_id on disbursements backs this up.
"""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.audit import record
from common.auth import Claims
from common.errors import Conflict, Forbidden, NotFound
from common.rulesets.schema import RuleSet
from services.finance.budgets import movements as budget
from services.finance.db import AuditLog
from services.finance.disbursements import repository as repo
from services.finance.disbursements.models import Disbursement
from services.finance.disbursements.schemas import DisbursementCreate
from services.finance.funding import repository as funding_repo
from services.finance.funding.models import Tranche
from services.finance.ledger import accounts
from services.finance.ledger.service import transfer

REFUSALS = {
    "planned": ("tranche.not_due", "This tranche is not due yet (after acceptance and settlement)"),
    "paying": ("tranche.payment_pending", "A payment of this tranche awaits a second approval"),
    "paid": ("tranche.already_paid", "This tranche has been paid already"),
    "cancelled": ("tranche.cancelled", "Nothing is payable on this tranche"),
    budget.AWAITING: ("budget.awaiting", "The plan awaits budget (年度预算); not payable yet"),
}


def _ensure_payable(tranche: Tranche) -> None:
    if tranche.status != "due":
        code, detail = REFUSALS.get(tranche.status, ("tranche.not_due", "Not payable"))
        raise Conflict(detail, code=code)


async def _ensure_not_ended(session: AsyncSession, ruleset: RuleSet, tranche: Tranche) -> None:
    """Once an acceptance is recorded whose outcome ends the payments (factor 0: closed or
    failed, HZ 三(八)), no tranche is paid, however long it was due (issue #11 item 9)."""
    outcome = await funding_repo.outcome_of(session, tranche.plan_id)
    settlement = ruleset.funding.settlement
    if outcome is not None and settlement.factors[outcome] == 0:  # type: ignore[index]
        raise Conflict(
            f"The project's acceptance is recorded as {outcome}: no further payment",
            code="tranche.acceptance_ended",
            clause=settlement.factors_clause,
            detail_zh="项目验收不通过或结题未通过，不再拨付资金",
        )


async def disburse(
    session: AsyncSession, user: Claims, ruleset: RuleSet, body: DisbursementCreate
) -> Disbursement:
    tranche = await funding_repo.lock_tranche(session, user.city, body.project_id, body.tranche_seq)
    if tranche is None:
        raise NotFound("No such tranche for this project", code="tranche.not_found")
    _ensure_payable(tranche)
    await _ensure_not_ended(session, ruleset, tranche)
    four_eyes = tranche.amount >= ruleset.funding.four_eyes_threshold
    disbursement = Disbursement(
        id=uuid.uuid4(),
        city=user.city,
        project_id=tranche.project_id,
        plan_id=tranche.plan_id,
        tranche_id=tranche.id,
        tranche_seq=tranche.seq,
        amount=tranche.amount,
        status="pending_approval",
        requested_by=user.sub,
        note=body.note,
    )
    session.add(disbursement)
    tranche.status = "paying"
    await session.flush()
    if not four_eyes:
        await _pay(session, user, ruleset, disbursement, tranche)
    record(
        session,
        AuditLog,
        user,
        entity="disbursement",
        entity_id=disbursement.id,
        action="request",
        to_state=disbursement.status,
        data={"tranche_id": str(tranche.id), "amount": str(tranche.amount)},
    )
    return disbursement


async def approve(
    session: AsyncSession, user: Claims, ruleset: RuleSet, disbursement_id: uuid.UUID
) -> Disbursement:
    """A second, different bureau user releases a payment at or above the threshold."""
    found = await repo.get(session, user.city, disbursement_id)
    if found is None:
        raise NotFound("No such disbursement", code="disbursement.not_found")
    tranche = await funding_repo.lock_tranche_by_id(session, found.tranche_id)
    disbursement = await repo.get(session, user.city, disbursement_id, lock=True)
    assert disbursement is not None
    if disbursement.status != "pending_approval":
        raise Conflict(
            "This disbursement is not awaiting approval", code="disbursement.not_pending"
        )
    if disbursement.requested_by == user.sub:
        raise Forbidden(
            "The user who requested a payment cannot also approve it",
            code="four_eyes.same_user",
            clause=ruleset.funding.four_eyes_clause,
            detail_zh="申请人不得复核本人提交的拨付",
        )
    await _ensure_not_ended(session, ruleset, tranche)
    disbursement.approved_by = user.sub
    await _pay(session, user, ruleset, disbursement, tranche)
    record(
        session,
        AuditLog,
        user,
        entity="disbursement",
        entity_id=disbursement.id,
        action="approve",
        from_state="pending_approval",
        to_state="paid",
    )
    return disbursement


async def _pay(
    session: AsyncSession, user: Claims, ruleset: RuleSet, d: Disbursement, tranche: Tranche
) -> None:
    """Budget → solver: drawn on the annual budget (committed → paid, refused beyond what is
    available), then one balanced posting; the tranche and the disbursement become paid."""
    await budget.draw(
        session,
        user,
        d.plan_id,
        d.project_id,
        d.amount,
        disbursement_id=d.id,
        clause=ruleset.funding.budget_clause,
        tz=ruleset.timezone,
    )
    txn = await transfer(
        session,
        city=d.city,
        kind="disbursement",
        project_id=d.project_id,
        actor=user.sub,
        debit=accounts.solver_paid(d.project_id),
        credit=accounts.subsidy_budget(d.city),
        amount=d.amount,
        tranche_id=tranche.id,
        reference_id=d.id,
    )
    d.status, d.transaction_id, d.paid_at = "paid", txn.id, clock.now()
    tranche.status = "paid"
    await session.flush()
