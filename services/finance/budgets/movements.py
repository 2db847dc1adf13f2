"""What funding, disbursements, settlements and claw-backs do to the budget: commit, draw,
release, give back. Each is one guarded UPDATE of the budget row plus a journal line.

Lock order, the same everywhere: the caller's own rows (plan, tranche, claw-back), then the
plan's commitment, then the budget row, then (in the ledger) the city's chain head. Confirming
an appropriation locks the budget row first and then only plans still ``awaiting_budget``,
rows no payment or settlement can be holding while it wants the budget.
"""

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.audit import record
from common.auth import Claims
from common.context import request_id_var
from common.errors import RuleViolation
from services.finance.budgets import repository as repo
from services.finance.budgets.models import BudgetCommitment, BudgetMovement
from services.finance.budgets.policy import (
    EMPTY,
    ZERO,
    BudgetState,
    budget_year,
    commit_violation,
    insufficient,
    release_on_settlement,
    split_draw,
)
from services.finance.db import AuditLog
from services.finance.funding import repository as funding_repo
from services.finance.funding.models import FundingPlan

AWAITING = "awaiting_budget"


def journal(
    session: AsyncSession,
    user: Claims,
    year: int,
    kind: str,
    amount: Decimal,
    after: BudgetState,
    *,
    project_id: uuid.UUID | None = None,
    reference_id: uuid.UUID | None = None,
) -> None:
    session.add(
        BudgetMovement(
            id=uuid.uuid4(),
            city=user.city,
            year=year,
            kind=kind,
            amount=amount,
            project_id=project_id,
            reference_id=reference_id,
            appropriated=after.appropriated,
            committed=after.committed,
            paid=after.paid,
            actor=user.sub,
            request_id=request_id_var.get(),
            at=clock.now(),
        )
    )


async def commit_plan(
    session: AsyncSession, user: Claims, plan: FundingPlan, approved_at: datetime, tz: str
) -> bool:
    """Commit a new plan's cap against the budget of its approval year; if the budget cannot
    hold it the plan waits (``awaiting_budget``), never overcommitted. True when committed."""
    year = budget_year(approved_at, tz)
    commitment = BudgetCommitment(
        id=uuid.uuid4(),
        city=plan.city,
        year=year,
        plan_id=plan.id,
        project_id=plan.project_id,
        amount=plan.subsidy_cap,
        outstanding=ZERO,
        status="awaiting",
    )
    session.add(commitment)
    await session.flush()
    return await _try_commit(session, user, commitment)


def await_budget(plan: FundingPlan) -> None:
    """The budget cannot hold the plan: nothing of it is payable until it can."""
    plan.status = AWAITING
    for tranche in plan.tranches:
        if tranche.status == "due":
            tranche.status = AWAITING


async def _try_commit(session: AsyncSession, user: Claims, commitment: BudgetCommitment) -> bool:
    if commitment.amount > 0:
        after = await repo.move(
            session, commitment.city, commitment.year, committed=commitment.amount
        )
        if after is None:
            return False
        journal(
            session,
            user,
            commitment.year,
            "commit",
            commitment.amount,
            after,
            project_id=commitment.project_id,
            reference_id=commitment.plan_id,
        )
    commitment.status, commitment.outstanding = "committed", commitment.amount
    commitment.committed_at = clock.now()
    return True


async def commit_waiting(session: AsyncSession, user: Claims, year: int) -> int:
    """After the budget grew: commit waiting plans in arrival order, each that now fits; their
    approval tranches become due. Returns how many were committed."""
    committed = 0
    for commitment in await repo.waiting(session, user.city, year):
        if not await _try_commit(session, user, commitment):
            continue
        plan = await funding_repo.get_plan(session, commitment.project_id, lock=True)
        if plan is not None and plan.status == AWAITING:
            plan.status = "active"
            for tranche in plan.tranches:
                if tranche.status == AWAITING:
                    tranche.status = "due"
            record(
                session,
                AuditLog,
                user,
                entity="funding_plan",
                entity_id=plan.id,
                action="budget_committed",
                from_state=AWAITING,
                to_state="active",
                data={"year": commitment.year, "cap": f"{commitment.amount:.2f}"},
            )
        committed += 1
    await session.flush()
    return committed


async def draw(
    session: AsyncSession,
    user: Claims,
    plan_id: uuid.UUID,
    project_id: uuid.UUID,
    amount: Decimal,
    *,
    disbursement_id: uuid.UUID,
    clause: str,
    tz: str,
) -> None:
    """A payment moves committed → paid. Should it exceed what its plan still has committed
    (a plan from before budgets existed: committed now, in the payment's year), the difference
    is committed from what is available first, and refused (``budget.insufficient``) when it
    is not there."""
    commitment = await repo.commitment(session, project_id, lock=True)
    if commitment is None:
        commitment = BudgetCommitment(
            id=uuid.uuid4(),
            city=user.city,
            year=budget_year(clock.now(), tz),
            plan_id=plan_id,
            project_id=project_id,
            amount=ZERO,
            outstanding=ZERO,
            status="committed",
            committed_at=clock.now(),
        )
        session.add(commitment)
    year = commitment.year
    _, extra = split_draw(commitment.outstanding, amount)
    if extra > 0:
        after = await repo.move(session, user.city, year, committed=extra)
        if after is None:
            current = await repo.state(session, user.city, year) or EMPTY
            violation = commit_violation(current, extra, clause=clause, year=year)
            raise RuleViolation.of([(violation or insufficient(clause, year, extra, ZERO)).item()])
        journal(session, user, year, "commit", extra, after, project_id=project_id)
        commitment.amount += extra
        commitment.outstanding += extra
    after = await repo.move(session, user.city, year, committed=-amount, paid=amount)
    assert after is not None  # a draw from what is committed leaves available unchanged
    journal(
        session,
        user,
        year,
        "draw",
        amount,
        after,
        project_id=project_id,
        reference_id=disbursement_id,
    )
    commitment.outstanding -= amount
    await session.flush()


async def release(
    session: AsyncSession, user: Claims, project_id: uuid.UUID, remaining: Decimal
) -> None:
    """A settlement: what is committed beyond the rest still to be paid returns to available."""
    commitment = await repo.commitment(session, project_id, lock=True)
    if commitment is None:
        return
    freed = release_on_settlement(commitment.outstanding, remaining)
    if freed <= 0:
        return
    after = await repo.move(session, user.city, commitment.year, committed=-freed)
    assert after is not None
    journal(session, user, commitment.year, "release", freed, after, project_id=project_id)
    commitment.outstanding -= freed


async def give_back(
    session: AsyncSession,
    user: Claims,
    project_id: uuid.UUID,
    amount: Decimal,
    *,
    clawback_id: uuid.UUID,
) -> None:
    """A claw-back repayment: paid → available, in the budget the plan was paid from."""
    commitment = await repo.commitment(session, project_id)
    if commitment is None:  # never paid from a budget: nothing to give back to
        return
    year = commitment.year
    after = await repo.move(session, user.city, year, paid=-amount)
    assert after is not None
    journal(
        session,
        user,
        year,
        "return",
        amount,
        after,
        project_id=project_id,
        reference_id=clawback_id,
    )
