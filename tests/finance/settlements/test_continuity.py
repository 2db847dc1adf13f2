"""The claw-back has no cliff (issue #11 item 10): property-style checks of
services.finance.settlements.policy.settle over both cities' rule sets.

The amount a project keeps (paid + rest − claw-back) never rises when the audit's findings grow,
when the audited base falls or when the outcome is worse, and a fen more of findings or base
never moves it by more than a fen (no jump at paid = recomputed or anywhere else)."""

from decimal import Decimal as D
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from common.rulesets.registry import load_file
from common.rulesets.schema import OUTCOMES, RuleSet
from services.finance.settlements.policy import SettlementFacts, findings_violations, settle

RULES = Path(__file__).resolve().parents[3] / "rulesets"
CITIES = [load_file(RULES / "huzhou.yaml"), load_file(RULES / "urumqi.yaml")]
FEN = D("0.01")
ORDER = ["passed", "shortfall", "shortfall_consortium", "closed", "failed"]

amounts = st.integers(min_value=0, max_value=3_000_000_000).map(lambda n: D(n) * FEN)
city = st.sampled_from(CITIES)
outcome = st.sampled_from(OUTCOMES)


def kept(rules: RuleSet, f: SettlementFacts) -> D:
    d = settle(rules, f)
    assert d.kept == f.paid + d.remaining - d.clawback
    assert d.remaining == 0 or d.clawback == 0
    return d.kept


def facts(o: str, base: D, cap: D, paid: D, unused: D, noncompliant: D) -> SettlementFacts:
    return SettlementFacts(o, base, cap, paid, unused, noncompliant)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(city, outcome, amounts, amounts, amounts, amounts, amounts, amounts)
def test_kept_never_rises_as_findings_worsen(
    rules: RuleSet, o: str, base: D, cap: D, paid: D, unused: D, nc: D, more: D
) -> None:
    before = kept(rules, facts(o, base, cap, paid, unused, nc))
    assert kept(rules, facts(o, base, cap, paid, unused + more, nc)) <= before
    assert kept(rules, facts(o, base, cap, paid, unused, nc + more)) <= before
    assert kept(rules, facts(o, base + more, cap, paid, unused, nc)) >= before


@settings(max_examples=300, deadline=None)
@given(city, outcome, amounts, amounts, amounts, amounts, amounts)
def test_a_fen_more_never_moves_the_amount_kept_by_more_than_a_fen(
    rules: RuleSet, o: str, base: D, cap: D, paid: D, unused: D, nc: D
) -> None:
    before = kept(rules, facts(o, base, cap, paid, unused, nc))
    assert before - kept(rules, facts(o, base, cap, paid, unused + FEN, nc)) <= FEN
    assert before - kept(rules, facts(o, base, cap, paid, unused, nc + FEN)) <= FEN
    rate = rules.funding.settlement.rate
    assert kept(rules, facts(o, base + FEN, cap, paid, unused, nc)) - before <= FEN * rate + FEN


@settings(max_examples=300, deadline=None)
@given(city, amounts, amounts, amounts, amounts, amounts)
def test_a_worse_outcome_never_keeps_more(
    rules: RuleSet, base: D, cap: D, paid: D, unused: D, nc: D
) -> None:
    kept_by = [kept(rules, facts(o, base, cap, paid, unused, nc)) for o in ORDER]
    assert kept_by == sorted(kept_by, reverse=True)


def test_no_cliff_where_recomputed_meets_paid() -> None:
    """The old rule reclaimed findings only on top of an excess: 1 fen of excess moved the
    claw-back from 0.00 to 100,000.01. Now both sides differ by a fen."""
    hz = CITIES[0]
    # shortfall_consortium: min(25 % × 10,000,000, 5,000,000) × 60 % = 1,500,000.00
    at = settle(
        hz,
        facts(
            "shortfall_consortium",
            D("10000000.00"),
            D("5000000.00"),
            D("1500000.00"),
            D("100000.00"),
            D("0.00"),
        ),
    )
    above = settle(
        hz,
        facts(
            "shortfall_consortium",
            D("10000000.00"),
            D("5000000.00"),
            D("1500000.01"),
            D("100000.00"),
            D("0.00"),
        ),
    )
    assert (at.kept, at.clawback) == (D("1400000.00"), D("100000.00"))
    assert (above.kept, above.clawback) == (D("1400000.00"), D("100000.01"))
    assert "HZ 三(八)" in at.formula.en and "kept = max(0, recomputed" in at.formula.en


def test_findings_above_what_was_paid_are_inconsistent() -> None:
    hz = CITIES[0]
    ok = facts("failed", D("1.00"), D("1.00"), D("100.00"), D("60.00"), D("40.00"))
    assert findings_violations(hz, ok) == []
    [v] = findings_violations(
        hz, facts("failed", D("1"), D("1"), D("100.00"), D("60.00"), D("40.01"))
    )
    assert (v.code, v.clause) == ("settlement.findings_inconsistent", "HZ 三(八)")
