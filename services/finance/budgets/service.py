"""Recording and confirming the annual budget (four eyes), reading it, and the check review
asks before approving a plan."""

import uuid
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.audit import record
from common.auth import Claims
from common.errors import Conflict, NotFound
from common.policy import enforce
from common.rulesets.schema import RuleSet
from services.finance.budgets import movements
from services.finance.budgets import repository as repo
from services.finance.budgets.models import BudgetEntry
from services.finance.budgets.policy import (
    EMPTY,
    ZERO,
    BudgetState,
    amend,
    budget_year,
    commit_violation,
    confirm_violation,
    from_journal,
)
from services.finance.budgets.schemas import (
    BudgetCheckCreate,
    BudgetCheckRead,
    BudgetEntryCreate,
    BudgetEntryRead,
    BudgetRead,
    BudgetsRead,
)
from services.finance.db import AuditLog
from services.finance.funding.policy import plan_subsidy, plan_violations
from services.finance.funding.service import plan_facts


async def record_entry(session: AsyncSession, user: Claims, body: BudgetEntryCreate) -> BudgetEntry:
    """Pending until a second bureau user confirms it; one appropriation per year, amendments
    only on top of a confirmed one."""
    standing = await repo.appropriation(session, user.city, body.year)
    if body.kind == "appropriation" and standing is not None:
        raise Conflict(
            f"{body.year} already has an appropriation; record an increase or a decrease",
            code="budget.already_appropriated",
            detail_zh=f"{body.year}年度预算已录入，请录入追加或调减",
        )
    if body.kind != "appropriation" and (standing is None or standing.status != "confirmed"):
        raise Conflict(
            f"{body.year} has no confirmed appropriation to amend",
            code="budget.not_appropriated",
            detail_zh=f"{body.year}年度尚无已确认的预算",
        )
    entry = BudgetEntry(
        id=uuid.uuid4(),
        city=user.city,
        year=body.year,
        kind=body.kind,
        amount=body.amount,
        reason=body.reason,
        reference=body.reference,
        status="pending",
        recorded_by=user.sub,
    )
    session.add(entry)
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="budget_entry",
        entity_id=entry.id,
        action=f"record_{body.kind}",
        to_state="pending",
        reason=body.reason,
        data={"year": body.year, "amount": f"{body.amount:.2f}"},
    )
    return entry


async def confirm(
    session: AsyncSession, user: Claims, ruleset: RuleSet, entry_id: uuid.UUID
) -> BudgetEntry:
    """A different bureau user confirms; the budget changes (a decrease only down to what is
    committed and paid) and plans waiting for budget are committed where they now fit."""
    entry = await _pending(session, user, entry_id)
    found = confirm_violation(entry.recorded_by, user.sub, clause=ruleset.funding.four_eyes_clause)
    if found:
        raise Conflict(
            found.detail, code=found.code, clause=found.clause, detail_zh=found.detail_zh
        )
    clause = ruleset.funding.budget_clause
    await repo.ensure_budget(session, user.city, entry.year)
    sign = Decimal(-1) if entry.kind == "decrease" else Decimal(1)
    after = await repo.move(session, user.city, entry.year, appropriated=sign * entry.amount)
    if after is None:
        current = await repo.state(session, user.city, entry.year) or EMPTY
        _, violation = amend(current, entry.kind, entry.amount, clause=clause, year=entry.year)  # type: ignore[arg-type]
        enforce([violation] if violation else [], user=user)
    assert after is not None
    movements.journal(
        session, user, entry.year, entry.kind, entry.amount, after, reference_id=entry.id
    )
    _decide(session, user, entry, "confirmed")
    if entry.kind != "decrease":
        await movements.commit_waiting(session, user, entry.year)
    return entry


async def reject(session: AsyncSession, user: Claims, entry_id: uuid.UUID) -> BudgetEntry:
    """Any bureau user (the recorder too: a withdrawal) sets a pending entry aside."""
    entry = await _pending(session, user, entry_id)
    _decide(session, user, entry, "rejected")
    return entry


async def _pending(session: AsyncSession, user: Claims, entry_id: uuid.UUID) -> BudgetEntry:
    entry = await repo.entry(session, user.city, entry_id, lock=True)
    if entry is None:
        raise NotFound("No such budget entry", code="budget.entry_not_found")
    if entry.status != "pending":
        raise Conflict(f"This budget entry is {entry.status}", code="budget.entry_decided")
    return entry


def _decide(session: AsyncSession, user: Claims, entry: BudgetEntry, status: str) -> None:
    entry.status, entry.decided_by, entry.decided_at = status, user.sub, clock.now()
    record(
        session,
        AuditLog,
        user,
        entity="budget_entry",
        entity_id=entry.id,
        action={"confirmed": "confirm", "rejected": "reject"}[status],
        from_state="pending",
        to_state=status,
        data={"year": entry.year, "kind": entry.kind, "amount": f"{entry.amount:.2f}"},
    )


async def read(
    session: AsyncSession, user: Claims, ruleset: RuleSet, year: int | None
) -> BudgetsRead:
    rows = await repo.budgets_with_journal(session, user.city, year)
    waiting = await repo.awaiting_totals(session, user.city)
    pending: dict[int, list[BudgetEntryRead]] = {}
    for entry in await repo.entries(session, user.city, year, pending_only=True):
        pending.setdefault(entry.year, []).append(BudgetEntryRead.model_validate(entry))
    by_year = {b.year: (BudgetState(b.appropriated, b.committed, b.paid), j) for b, j in rows}
    years = sorted(set(by_year) | set(pending) | ({year} if year else set()), reverse=True)
    items = []
    for y in years:
        state, journal = by_year.get(y, (EMPTY, {}))
        count, amount = waiting.get(y, (0, ZERO))
        items.append(
            BudgetRead(
                city=user.city,
                year=y,
                appropriated=state.appropriated,
                committed=state.committed,
                paid=state.paid,
                available=state.available,
                awaiting_plans=count,
                awaiting_amount=amount,
                pending_entries=pending.get(y, []),
                journal_consistent=from_journal(journal) == state,
            )
        )
    paid_total, ledger_paid = await repo.paid_beside_ledger(session, user.city)
    return BudgetsRead(
        items=items,
        clause=ruleset.funding.budget_clause,
        paid_total=paid_total,
        ledger_paid=ledger_paid,
        consistent_with_ledger=paid_total == ledger_paid,
    )


async def check(
    session: AsyncSession, user: Claims, ruleset: RuleSet, body: BudgetCheckCreate
) -> BudgetCheckRead:
    """The cap finance will commit for this plan, and whether the budget of its year holds it
    now; 422 ``budget.insufficient`` with the clause when it does not."""
    facts = plan_facts(body)
    enforce(plan_violations(ruleset, facts), user=user)
    cap = plan_subsidy(ruleset, facts).cap
    year = budget_year(body.approved_at or clock.now(), ruleset.timezone)
    state = await repo.state(session, user.city, year) or EMPTY
    if cap > 0:
        found = commit_violation(state, cap, clause=ruleset.funding.budget_clause, year=year)
        enforce([found] if found else [], user=user)
    return BudgetCheckRead(year=year, subsidy_cap=cap, available=state.available, fits=True)
