"""Pure rules added for issue #11: future agreements, acceptance facts, duplicate racers."""

import uuid
from datetime import datetime, timedelta
from decimal import Decimal as D

from common.rulesets.registry import load_file
from common.settings import ROOT
from services.review.decisions.policy import agreement_violations
from services.review.projects.policy import acceptance_fact_violations
from services.review.results.policy import duplicate_racer_violations

URC = load_file(ROOT / "rulesets" / "urumqi.yaml")
HZ = load_file(ROOT / "rulesets" / "huzhou.yaml")
NOW = datetime.fromisoformat("2025-05-20T10:00:00+08:00")


def test_an_agreement_is_signed_at_or_before_now() -> None:
    assert agreement_violations(URC, None, NOW) == []
    assert agreement_violations(URC, NOW, NOW) == []
    [v] = agreement_violations(URC, NOW + timedelta(seconds=1), NOW)
    assert (v.code, v.clause) == ("decision.agreement_in_future", "URC 二(五)")


def test_acceptance_needs_the_citys_settlement_base() -> None:
    facts = {"audited_total_investment": D("1"), "audited_bounty_paid": None}
    assert [v.code for v in acceptance_fact_violations(URC, facts, D("0"))] == [
        "acceptance.fact_missing"
    ]
    assert acceptance_fact_violations(HZ, facts, D("0")) == []


def test_findings_within_what_was_paid_to_the_fen() -> None:
    facts = {
        "audited_total_investment": D("1"),
        "unused_amount": D("60.00"),
        "noncompliant_amount": D("40.00"),
    }
    assert acceptance_fact_violations(HZ, facts, D("100.00")) == []
    [v] = acceptance_fact_violations(HZ, facts, D("99.99"))
    assert (v.code, v.clause) == ("acceptance.findings_inconsistent", "HZ 三(八)")


def test_each_racer_is_named_once() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    assert duplicate_racer_violations(URC, [a, b]) == []
    [v] = duplicate_racer_violations(URC, [a, b, a, a])
    assert v.code == "results.duplicate_racer" and "3 times" in v.detail
