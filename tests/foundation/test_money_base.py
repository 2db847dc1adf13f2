"""The floor under every plan (common.money_base) and affiliation (common.affiliation), pure."""

import uuid
from decimal import Decimal as D

from common.affiliation import Party, affiliation_violations, related
from common.money_base import base_violations
from common.rulesets.registry import load_file
from common.settings import ROOT

URC = load_file(ROOT / "rulesets" / "urumqi.yaml")
HZ = load_file(ROOT / "rulesets" / "huzhou.yaml")


def codes(rules, total: str, bounty: str, requested: str | None = "1.00") -> list[str]:  # type: ignore[no-untyped-def]
    found = base_violations(
        rules,
        total_investment=D(total),
        bounty_amount=D(bounty),
        requested_subsidy=D(requested) if requested is not None else None,
    )
    return [v.code for v in found]


def test_urumqi_floor_is_the_hard_minimum_to_the_fen() -> None:
    assert codes(URC, "5000000.00", "4000000.00") == []
    assert codes(URC, "4999999.99", "4000000.00") == ["funding.min_total_investment"]
    assert (
        base_violations(
            URC, total_investment=D("1.00"), bounty_amount=D("0"), requested_subsidy=None
        )[0].clause
        == "URC 二(一)"
    )


def test_every_city_needs_a_positive_total_covering_the_bounty() -> None:
    assert codes(HZ, "0.01", "0.01") == []
    assert codes(HZ, "0.00", "0.00") == ["funding.min_total_investment"]
    assert codes(HZ, "100.00", "100.01") == ["funding.bounty_within_total"]
    assert codes(HZ, "100.00", "1.00", None) == ["funding.requested_subsidy_missing"]
    assert codes(URC, "9999999.00", "1.00", None) == []


def test_affiliation_counts_either_side_and_the_owner_itself() -> None:
    owner, other = uuid.uuid4(), uuid.uuid4()
    assert related(Party(owner), Party(owner))
    assert related(Party(owner, frozenset({other})), Party(other))
    assert related(Party(owner), Party(other, frozenset({owner})))
    assert not related(Party(owner), Party(other))
    [v] = affiliation_violations(URC, Party(owner), [Party(other, frozenset({owner}))])
    assert (v.code, v.clause) == ("ruleset.affiliation", "URC 二(三)")
    assert affiliation_violations(HZ, Party(owner), [Party(owner)]) == []  # no such rule in HZ
