"""The city's annual subsidy budget (年度预算, HZ 三(四)4): pure arithmetic, no database.

available = appropriated − committed − paid. An approved plan commits its cap (available →
committed), a payment draws on its commitment (committed → paid; a payment beyond what its plan
still has committed is committed at once from what is available), a settlement below the cap
releases the part that will never be paid (committed → available), and a claw-back repayment
gives the money back (paid → available). Nothing commits and no decrease lowers the budget
below what is committed and paid: refused with ``budget.insufficient`` and the city's clause
(``funding.budget.clause``). A plan's year is the date of its approval in the city's time zone.

Tests: tests/finance/budgets/test_policy.py (rule → function → test in one hop:
``funding.budget.clause`` → ``commit_violation``/``amend`` → ``test_commit_*``/``test_amend_*``;
the year → ``budget_year`` → ``test_year_*``; draws → ``split_draw`` → ``test_draw_*``;
settlement → ``release_on_settlement`` → ``test_release_*``; four eyes → ``confirm_violation``
→ ``test_confirm_*``).
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from common.money import MAX_AMOUNT
from common.policy import Violation

ZERO = Decimal("0.00")
AmendmentKind = Literal["appropriation", "increase", "decrease"]


@dataclass(frozen=True)
class BudgetState:
    appropriated: Decimal
    committed: Decimal
    paid: Decimal

    @property
    def available(self) -> Decimal:
        return self.appropriated - self.committed - self.paid


EMPTY = BudgetState(ZERO, ZERO, ZERO)


def budget_year(approved_at: datetime, timezone: str) -> int:
    """The budget year of a plan: the calendar year of its approval date in the city's zone."""
    return approved_at.astimezone(ZoneInfo(timezone)).year


def fen(value: Decimal) -> str:
    return f"{value:,.2f}"


def insufficient(clause: str, year: int, wanted: Decimal, available: Decimal) -> Violation:
    return Violation(
        code="budget.insufficient",
        clause=clause,
        detail=(
            f"The {year} subsidy budget has {fen(available)} available; {fen(wanted)} is needed"
        ),
        detail_zh=f"{year}年度预算可用额度 {fen(available)}，不足 {fen(wanted)}",
    )


def commit_violation(
    state: BudgetState, amount: Decimal, *, clause: str, year: int
) -> Violation | None:
    """Committing (or paying beyond a commitment) never takes more than is available."""
    if amount <= state.available:
        return None
    return insufficient(clause, year, amount, state.available)


def amend(
    state: BudgetState, kind: AmendmentKind, amount: Decimal, *, clause: str, year: int
) -> tuple[BudgetState, Violation | None]:
    """The budget after a confirmed appropriation, increase or decrease; a decrease may not
    take away what is committed or paid."""
    if kind == "decrease":
        if amount > state.available:
            return state, insufficient(clause, year, amount, state.available)
        return BudgetState(state.appropriated - amount, state.committed, state.paid), None
    if state.appropriated + amount > MAX_AMOUNT:
        return state, Violation(
            code="budget.too_large",
            clause=None,
            detail=f"The {year} budget would exceed {fen(MAX_AMOUNT)}, the largest amount kept",
            detail_zh=f"{year}年度预算将超过可记录的最大金额 {fen(MAX_AMOUNT)}",
        )
    return BudgetState(state.appropriated + amount, state.committed, state.paid), None


def from_journal(sums: dict[str, Decimal]) -> BudgetState:
    """A budget's totals recomputed from its journal (Σ amount per kind of movement)."""

    def total(*kinds: str) -> Decimal:
        return sum((sums.get(k, ZERO) for k in kinds), ZERO)

    return BudgetState(
        appropriated=total("appropriation", "increase") - total("decrease"),
        committed=total("commit") - total("draw", "release"),
        paid=total("draw") - total("return"),
    )


def split_draw(outstanding: Decimal, amount: Decimal) -> tuple[Decimal, Decimal]:
    """(from the plan's commitment, committed now from what is available) for a payment."""
    from_commitment = min(max(outstanding, ZERO), amount)
    return from_commitment, amount - from_commitment


def release_on_settlement(outstanding: Decimal, remaining: Decimal) -> Decimal:
    """What a settlement gives back: the commitment beyond what is still to be paid."""
    return max(outstanding - remaining, ZERO)


def confirm_violation(recorded_by: str, confirmed_by: str, *, clause: str) -> Violation | None:
    """Four eyes (双人复核): the user who recorded an appropriation cannot confirm it."""
    if recorded_by != confirmed_by:
        return None
    return Violation(
        code="four_eyes.same_user",
        clause=clause,
        detail="The user who recorded a budget entry cannot also confirm it",
        detail_zh="预算录入人不得确认本人录入的预算",
    )
