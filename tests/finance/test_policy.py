"""The subsidy and settlement rules, called directly with the real rule sets (DOMAIN.md §4–§5)."""

from decimal import Decimal
from pathlib import Path

import pytest

from common.rulesets.registry import RuleSetRegistry
from services.finance.funding.policy import PlanFacts, plan_subsidy, plan_violations
from services.finance.settlements.policy import SettlementFacts, settle

REGISTRY = RuleSetRegistry.load(Path("rulesets"))
HZ, URC = REGISTRY.get("huzhou"), REGISTRY.get("urumqi")
D = Decimal


def facts(**over: object) -> PlanFacts:
    base: dict[str, object] = {
        "bounty_amount": D("8000000.00"),
        "total_investment": D("20000000.00"),
        "requested_subsidy": D("6000000.00"),
        "equity_contribution_valuation": D("0.00"),
        "over_quota": False,
    }
    base.update(over)
    return PlanFacts(**base)  # type: ignore[arg-type]


def settlement(**over: object) -> SettlementFacts:
    base: dict[str, object] = {
        "outcome": "shortfall",
        "audited_base": D("16000000.00"),
        "cap": D("5000000.00"),
        "paid": D("1500000.00"),
        "unused_amount": D("0.00"),
        "noncompliant_amount": D("0.00"),
    }
    base.update(over)
    return SettlementFacts(**base)  # type: ignore[arg-type]


def test_huzhou_worked_example_cap_and_first_tranche() -> None:
    plan = plan_subsidy(HZ, facts())
    assert plan.cap == D("5000000.00")
    assert [(t.seq, t.amount, t.due) for t in plan.tranches] == [
        (1, D("1500000.00"), "approval"),
        (2, D("3500000.00"), "acceptance"),
    ]
    assert "HZ 二" in plan.formula.clauses and "HZ 三(六)" in plan.formula.clauses
    assert "5,000,000.00" in plan.formula.en and "补助上限" in plan.formula.zh


def test_huzhou_cap_is_the_rate_when_the_request_is_larger() -> None:
    plan = plan_subsidy(HZ, facts(total_investment=D("10000000.00")))
    assert plan.cap == D("2500000.00")


def test_huzhou_cap_at_exactly_the_request_boundary() -> None:
    plan = plan_subsidy(HZ, facts(total_investment=D("24000000.00")))
    assert plan.cap == D("6000000.00")
    assert plan_subsidy(HZ, facts(total_investment=D("24000000.04"))).cap == D("6000000.00")
    assert plan_subsidy(HZ, facts(total_investment=D("23999999.96"))).cap == D("5999999.99")


def test_huzhou_needs_the_requested_subsidy() -> None:
    [violation] = plan_violations(HZ, facts(requested_subsidy=None))
    assert violation.code == "funding.requested_subsidy_missing"
    assert violation.clause == "HZ 二"
    assert plan_violations(URC, facts(requested_subsidy=None)) == []


def test_huzhou_worked_example_settlement_80_percent() -> None:
    decision = settle(HZ, settlement())
    assert decision.recomputed == D("3200000.00")
    assert decision.remaining == D("1700000.00")
    assert decision.acceptance_tranches == ((2, D("1700000.00")),)
    assert decision.clawback == D("0.00")
    assert "HZ 三(八)" in decision.formula.clauses


def test_huzhou_settlement_passed_is_full_rate() -> None:
    decision = settle(HZ, settlement(outcome="passed"))
    assert decision.recomputed == D("4000000.00")
    assert decision.remaining == D("2500000.00")


def test_huzhou_settlement_60_percent_with_consortium_failure() -> None:
    decision = settle(HZ, settlement(outcome="shortfall_consortium"))
    assert decision.recomputed == D("2400000.00")
    assert decision.remaining == D("900000.00")


def test_recomputed_below_first_tranche_claws_back_the_difference() -> None:
    decision = settle(HZ, settlement(outcome="shortfall_consortium", audited_base=D("8000000.00")))
    # min(25 % × 8,000,000, 5,000,000) × 60 % = 1,200,000 < 1,500,000 paid
    assert decision.recomputed == D("1200000.00")
    assert decision.remaining == D("0.00")
    assert decision.excess == D("300000.00")
    assert decision.clawback == D("300000.00")
    assert decision.acceptance_tranches == ((2, D("0.00")),)


def test_recomputed_equal_to_paid_neither_pays_nor_claws_back() -> None:
    decision = settle(HZ, settlement(outcome="passed", audited_base=D("6000000.00")))
    assert decision.recomputed == D("1500000.00")
    assert decision.remaining == D("0.00") and decision.clawback == D("0.00")


def test_excess_claw_back_adds_unused_and_noncompliant() -> None:
    decision = settle(
        HZ,
        settlement(
            outcome="shortfall_consortium",
            audited_base=D("8000000.00"),
            unused_amount=D("100000.00"),
            noncompliant_amount=D("50000.50"),
        ),
    )
    assert decision.clawback == D("450000.50")


@pytest.mark.parametrize("outcome", ["failed", "closed"])
def test_failed_or_closed_pays_nothing_more_and_claws_back_unused_and_noncompliant(
    outcome: str,
) -> None:
    decision = settle(
        HZ,
        settlement(
            outcome=outcome,
            unused_amount=D("400000.00"),
            noncompliant_amount=D("120000.35"),
        ),
    )
    assert decision.recomputed == D("0.00")
    assert decision.remaining == D("0.00")
    assert decision.clawback == D("520000.35")
    assert "HZ 三(八)" in decision.formula.clauses
    assert "no further tranche" in decision.formula.en


def test_claw_back_never_exceeds_what_was_paid() -> None:
    decision = settle(
        HZ,
        settlement(
            outcome="failed",
            unused_amount=D("1400000.00"),
            noncompliant_amount=D("200000.00"),
        ),
    )
    assert decision.clawback == D("1500000.00")


def test_urumqi_worked_example_40_percent_of_bounty() -> None:
    plan = plan_subsidy(URC, facts(requested_subsidy=None))
    assert plan.cap == D("3200000.00")
    assert "URC 二(六)" in plan.formula.clauses
    assert sum(t.amount for t in plan.tranches) == plan.cap


def test_urumqi_excludes_equity_contribution_valuation() -> None:
    plan = plan_subsidy(URC, facts(equity_contribution_valuation=D("3000000.00")))
    assert plan.cap == D("2000000.00")
    assert "3,000,000.00" in plan.formula.en and "技术入股作价" in plan.formula.zh


def test_urumqi_ignores_the_requested_subsidy() -> None:
    assert plan_subsidy(URC, facts(requested_subsidy=D("1.00"))).cap == D("3200000.00")


def test_urumqi_over_quota_gets_nothing() -> None:
    plan = plan_subsidy(URC, facts(over_quota=True))
    assert plan.cap == D("0.00")
    assert all(t.amount == D("0.00") for t in plan.tranches)
    assert plan.formula.clauses[0] == "URC 二(一)"


def test_huzhou_has_no_over_quota_rule_so_the_flag_changes_nothing() -> None:
    assert plan_subsidy(HZ, facts(over_quota=True)).cap == D("5000000.00")


def test_rounding_half_up_at_the_fen() -> None:
    # 25 % × 0.02 = 0.005 → 0.01 (half up), then 30 % × 0.01 = 0.003 → 0.00, rest 0.01
    plan = plan_subsidy(HZ, facts(total_investment=D("0.02"), requested_subsidy=D("1.00")))
    assert plan.cap == D("0.01")
    assert [t.amount for t in plan.tranches] == [D("0.00"), D("0.01")]


def test_urumqi_settlement_uses_audited_bounty_paid() -> None:
    decision = settle(
        URC,
        settlement(
            outcome="passed",
            audited_base=D("7000000.00"),
            cap=D("3200000.00"),
            paid=D("1600000.00"),
        ),
    )
    assert decision.recomputed == D("2800000.00")
    assert decision.remaining == D("1200000.00")
