"""Budget arithmetic (services.finance.budgets.policy), pure: no database, no HTTP."""

from datetime import datetime
from decimal import Decimal

import pytest

from services.finance.budgets.policy import (
    BudgetState,
    amend,
    budget_year,
    commit_violation,
    confirm_violation,
    from_journal,
    release_on_settlement,
    split_draw,
)

D = Decimal
STATE = BudgetState(appropriated=D("10000000.00"), committed=D("6000000.00"), paid=D("3000000.00"))


def test_available_is_appropriated_less_committed_and_paid() -> None:
    assert STATE.available == D("1000000.00")


@pytest.mark.parametrize(
    ("amount", "refused"),
    [("1000000.00", False), ("1000000.01", True), ("0.01", False), ("999999.99", False)],
)
def test_commit_takes_at_most_what_is_available_to_the_fen(amount: str, refused: bool) -> None:
    found = commit_violation(STATE, D(amount), clause="HZ 三(四)4", year=2025)
    assert (found is not None) == refused
    if found:
        assert (found.code, found.clause) == ("budget.insufficient", "HZ 三(四)4")
        assert "1,000,000.00" in found.detail and "2025" in found.detail_zh


def test_amend_increase_and_decrease() -> None:
    up, none = amend(STATE, "increase", D("500000.00"), clause="c", year=2025)
    assert none is None and up.appropriated == D("10500000.00") and up.available == D("1500000.00")
    down, none = amend(STATE, "decrease", D("1000000.00"), clause="c", year=2025)
    assert none is None and down.available == D("0.00")


def test_amend_decrease_never_below_committed_and_paid() -> None:
    same, found = amend(STATE, "decrease", D("1000000.01"), clause="URC 二(七)", year=2026)
    assert same == STATE
    assert found is not None and (found.code, found.clause) == ("budget.insufficient", "URC 二(七)")


def test_amend_never_past_the_largest_amount_kept() -> None:
    top = BudgetState(D("999999999999.98"), D("0.00"), D("0.00"))
    assert amend(top, "increase", D("0.01"), clause="c", year=2025)[1] is None
    same, found = amend(top, "increase", D("0.02"), clause="c", year=2025)
    assert same == top and found is not None and found.code == "budget.too_large"


@pytest.mark.parametrize(
    ("moment", "zone", "year"),
    [
        ("2025-12-31T16:00:00+00:00", "Asia/Shanghai", 2026),  # 00:00 on 1 January in Huzhou
        ("2025-12-31T15:59:59+00:00", "Asia/Shanghai", 2025),
        ("2026-01-01T01:00:00+08:00", "UTC", 2025),
    ],
)
def test_year_is_the_approval_date_in_the_city_zone(moment: str, zone: str, year: int) -> None:
    assert budget_year(datetime.fromisoformat(moment), zone) == year


@pytest.mark.parametrize(
    ("outstanding", "amount", "split"),
    [
        ("1500000.00", "1500000.00", ("1500000.00", "0.00")),
        ("1500000.00", "1000000.00", ("1000000.00", "0.00")),
        ("1000000.00", "1500000.00", ("1000000.00", "500000.00")),
        ("0.00", "400000.00", ("0.00", "400000.00")),  # a plan from before budgets existed
    ],
)
def test_draw_takes_the_commitment_first(
    outstanding: str, amount: str, split: tuple[str, str]
) -> None:
    assert split_draw(D(outstanding), D(amount)) == (D(split[0]), D(split[1]))


@pytest.mark.parametrize(
    ("outstanding", "remaining", "freed"),
    [
        ("3500000.00", "1700000.00", "1800000.00"),  # HZ worked example: cap 5 M, paid 1.5 M
        ("3500000.00", "0.00", "3500000.00"),  # failed: nothing more is paid
        ("1700000.00", "1700000.00", "0.00"),
    ],
)
def test_release_frees_what_will_never_be_paid(
    outstanding: str, remaining: str, freed: str
) -> None:
    assert release_on_settlement(D(outstanding), D(remaining)) == D(freed)


def test_the_journal_gives_the_totals_back() -> None:
    sums = {
        "appropriation": D("6000000.00"),
        "increase": D("1000000.00"),
        "decrease": D("500000.00"),
        "commit": D("5000000.00"),
        "draw": D("1500000.00"),
        "release": D("3500000.00"),
        "return": D("750000.00"),
    }
    assert from_journal(sums) == BudgetState(D("6500000.00"), D("0.00"), D("750000.00"))
    assert from_journal({}) == BudgetState(D("0.00"), D("0.00"), D("0.00"))


def test_confirm_needs_a_second_person() -> None:
    assert confirm_violation("a", "b", clause="HZ 三(六)") is None
    found = confirm_violation("a", "a", clause="HZ 三(六)")
    assert found is not None and found.code == "four_eyes.same_user"
