"""Claw-backs (收回, HZ 三(八)): opened by a settlement, repaid until settled.

The receivable never goes below zero: a repayment locks the claw-back row, refuses more than
is outstanding, and the table's CHECK (repaid ≤ amount) refuses it again should code slip.
"""

import uuid
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from common.audit import record
from common.auth import Claims
from common.errors import Conflict, NotFound
from services.finance.budgets import movements as budget
from services.finance.clawbacks import repository as repo
from services.finance.clawbacks.models import Clawback, Repayment
from services.finance.clawbacks.schemas import RepaymentCreate
from services.finance.db import AuditLog
from services.finance.funding.models import FundingPlan
from services.finance.funding.policy import Formula
from services.finance.funding.service import formula_json
from services.finance.ledger import accounts
from services.finance.ledger.service import transfer


async def open_clawback(
    session: AsyncSession,
    user: Claims,
    plan: FundingPlan,
    *,
    amount: Decimal,
    excess: Decimal,
    clause: str,
    formula: Formula,
) -> Clawback:
    """Solver owes the city: receivable up, net paid to the solver down."""
    clawback = Clawback(
        id=uuid.uuid4(),
        city=plan.city,
        project_id=plan.project_id,
        plan_id=plan.id,
        amount=amount,
        repaid=Decimal("0.00"),
        excess=excess,
        unused_amount=plan.unused_amount or Decimal("0.00"),
        noncompliant_amount=plan.noncompliant_amount or Decimal("0.00"),
        status="open",
        clause=clause,
        formula=formula_json(formula),
        opened_by=user.sub,
    )
    session.add(clawback)
    txn = await transfer(
        session,
        city=plan.city,
        kind="clawback",
        project_id=plan.project_id,
        actor=user.sub,
        debit=accounts.clawback_receivable(plan.project_id),
        credit=accounts.solver_paid(plan.project_id),
        amount=amount,
        clawback_id=clawback.id,
    )
    clawback.transaction_id = txn.id
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="clawback",
        entity_id=clawback.id,
        action="open",
        to_state="open",
        data={"amount": str(amount)},
    )
    return clawback


async def repay(
    session: AsyncSession, user: Claims, clawback_id: uuid.UUID, body: RepaymentCreate
) -> tuple[Repayment, Clawback]:
    clawback = await repo.lock(session, user.city, clawback_id)
    if clawback is None:
        raise NotFound("No such claw-back", code="clawback.not_found")
    if clawback.status != "open":
        raise Conflict("This claw-back is settled", code="clawback.settled")
    outstanding = clawback.amount - clawback.repaid
    if body.amount > outstanding:
        raise Conflict(
            f"The repayment exceeds the outstanding {outstanding:.2f}",
            code="clawback.overpayment",
            detail_zh="还款金额超过应收回余额",
        )
    await budget.give_back(session, user, clawback.project_id, body.amount, clawback_id=clawback.id)
    txn = await transfer(
        session,
        city=clawback.city,
        kind="repayment",
        project_id=clawback.project_id,
        actor=user.sub,
        debit=accounts.subsidy_budget(clawback.city),
        credit=accounts.clawback_receivable(clawback.project_id),
        amount=body.amount,
        clawback_id=clawback.id,
    )
    repayment = Repayment(
        id=uuid.uuid4(),
        clawback_id=clawback.id,
        city=clawback.city,
        project_id=clawback.project_id,
        amount=body.amount,
        actor=user.sub,
        note=body.note,
        transaction_id=txn.id,
    )
    session.add(repayment)
    before = clawback.status
    clawback.repaid += body.amount
    if clawback.repaid == clawback.amount:
        clawback.status = "settled"
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="clawback",
        entity_id=clawback.id,
        action="repayment",
        from_state=before,
        to_state=clawback.status,
        data={"amount": str(body.amount)},
    )
    return repayment, clawback
