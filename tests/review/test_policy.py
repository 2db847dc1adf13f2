"""Pure review rules against the real rule sets: bands at every boundary, weights, rounding,
tie-breaks, panel sizes, conflicts, publicity length, decisions and project changes."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from common.rulesets.registry import RuleSetRegistry
from common.rulesets.schema import RuleSet
from common.settings import ROOT
from services.review.decisions.policy import blockers, outcome
from services.review.panels.policy import (
    ApplicationFacts,
    ExpertFacts,
    Org,
    conflicts,
    size_violations,
    stage_score,
)
from services.review.projects.policy import change_violations
from services.review.results.policy import (
    Candidate,
    band_for,
    compute,
    horse_race_violations,
    publicity_closes_at,
    weighted_total,
)

REG = RuleSetRegistry.load(Path(ROOT / "rulesets"))
HZ, URC = REG.get("huzhou"), REG.get("urumqi")
D = Decimal


def _with(rules: RuleSet, **review: object) -> RuleSet:
    return rules.model_copy(update={"review": rules.review.model_copy(update=review)})


@pytest.mark.parametrize(
    ("total", "band"),
    [
        ("100", "priority"),
        ("90.00", "priority"),
        ("89.99", "recommended"),
        ("85.00", "recommended"),
        ("84.99", "optional"),
        ("80.00", "optional"),
        ("79.99", "eliminated"),
        ("75.00", "eliminated"),
        ("0", "eliminated"),
    ],
)
def test_huzhou_bands_at_every_boundary(total: str, band: str) -> None:
    got, _ = band_for(HZ, D(total), county="wuxing")
    assert got.code == band
    assert got.qualified is (band != "eliminated")


@pytest.mark.parametrize(
    ("total", "county", "band"),
    [
        ("75.00", "deqing", "optional"),
        ("74.99", "deqing", "eliminated"),
        ("75.00", "changxing", "optional"),
        ("75.00", "anji", "optional"),
        ("75.00", "wuxing", "eliminated"),
        ("79.99", "anji", "optional"),
        ("75.00", None, "eliminated"),
        ("90.00", "anji", "priority"),
    ],
)
def test_huzhou_county_relaxation_from_75(total: str, county: str | None, band: str) -> None:
    got, step = band_for(HZ, D(total), county)
    assert got.code == band
    if band == "optional" and D(total) < 80:
        assert step["clause"] == "HZ 三(四)3" and step["rule"] == "review.county_relaxation"


def test_huzhou_total_is_half_meeting_half_defense() -> None:
    total, step = weighted_total(HZ, {"meeting_review": D("80"), "onsite_defense": D("91")})
    assert total == D("85.50")
    assert step["clause"] == "HZ 三(四)2"
    assert step["numbers"]["weights"] == {"meeting_review": "0.5", "onsite_defense": "0.5"}


def test_total_rounds_half_up_to_two_places() -> None:
    total, _ = weighted_total(HZ, {"meeting_review": D("80.01"), "onsite_defense": D("80.00")})
    assert total == D("80.01")  # 80.005 → half up
    down = HZ.review.rounding.model_copy(update={"mode": "down"})
    total, _ = weighted_total(
        _with(HZ, rounding=down), {"meeting_review": D("80.01"), "onsite_defense": D("80.00")}
    )
    assert total == D("80.00")


def test_stage_score_mean_is_rounded_per_rule_set() -> None:
    got = stage_score(HZ, "meeting_review", [D("80"), D("80"), D("81")])
    assert got.value == D("80.33")
    got = stage_score(HZ, "meeting_review", [D("80"), D("81"), D("81")])
    assert got.value == D("80.67")
    assert got.explanation[0]["clause"] == HZ.review.aggregation.clause


def test_trimmed_mean_drops_highest_and_lowest() -> None:
    trimmed = HZ.review.aggregation.model_copy(
        update={"method": "trimmed_mean", "trim_each_side": 1}
    )
    rules = _with(HZ, aggregation=trimmed)
    got = stage_score(rules, "s", [D("10"), D("80"), D("82"), D("84"), D("100")])
    assert got.value == D("82.00")
    assert got.explanation[0]["numbers"]["used"] == ["80", "82", "84"]


def _cand(total_a: str, total_b: str, **kw: object) -> Candidate:
    return Candidate(
        uuid.uuid4(), {"meeting_review": D(total_a), "onsite_defense": D(total_b)}, **kw
    )  # type: ignore[arg-type]


def test_highest_qualified_total_wins_in_huzhou() -> None:
    a, b, c = _cand("95", "95"), _cand("85", "85"), _cand("70", "70")
    results = compute(HZ, [c, b, a])
    assert [r.application_id for r in results] == [
        a.application_id,
        b.application_id,
        c.application_id,
    ]
    assert [r.rank for r in results] == [1, 2, 3]
    assert [r.winner for r in results] == [True, False, False]
    assert results[0].explanation[-1]["clause"] == "HZ 三(四)3"


def test_tie_on_total_broken_by_higher_defense_then_earlier_submission() -> None:
    t0 = datetime(2024, 5, 1, tzinfo=UTC)
    meeting_strong = _cand("90", "86", submitted_at=t0)  # 88.00
    defense_strong = _cand("86", "90", submitted_at=t0 + timedelta(hours=1))  # 88.00
    results = compute(HZ, [meeting_strong, defense_strong])
    assert results[0].application_id == defense_strong.application_id and results[0].winner
    late, early = (
        _cand("88", "88", submitted_at=t0 + timedelta(days=1)),
        _cand("88", "88", submitted_at=t0),
    )
    results = compute(HZ, [late, early])
    assert results[0].application_id == early.application_id and results[0].winner
    assert "tie" in results[0].explanation[-1]["text"]


def test_no_winner_when_nobody_qualifies() -> None:
    results = compute(HZ, [_cand("70", "70"), _cand("60", "60")])
    assert not any(r.winner for r in results)


def test_county_application_at_75_can_win_when_alone() -> None:
    results = compute(HZ, [_cand("75", "75", county="anji"), _cand("76", "76", county="wuxing")])
    winner = next(r for r in results if r.winner)
    assert winner.total == D("75.00") and winner.band == "optional"


def test_urumqi_has_no_automatic_winner_only_the_chosen() -> None:
    a = Candidate(uuid.uuid4(), {"plan_review": D("90")})
    b = Candidate(uuid.uuid4(), {"plan_review": D("70")})
    low = Candidate(uuid.uuid4(), {"plan_review": D("50")})
    assert not any(r.winner for r in compute(URC, [a, b, low]))
    results = compute(URC, [a, b, low], chosen=[b.application_id, low.application_id])
    assert {r.application_id for r in results if r.winner} == {b.application_id}


@pytest.mark.parametrize(("size", "ok"), [(3, False), (4, False), (5, True), (6, False), (7, True)])
def test_huzhou_panel_sizes(size: int, ok: bool) -> None:
    found = size_violations(HZ, size)
    assert (not found) is ok
    assert all(v.clause == "HZ 三(四)2" for v in found)
    if size in (4, 6):
        assert "panel.even_size" in {v.code for v in found}


def test_urumqi_panel_needs_three_and_any_parity() -> None:
    assert size_violations(URC, 2) and not size_violations(URC, 3)
    assert not size_violations(URC, 4)


def _orgs() -> tuple[Org, Org, Org]:
    return Org(uuid.uuid4()), Org(uuid.uuid4()), Org(uuid.uuid4())


def test_conflict_same_org_as_lead_member_or_owner() -> None:
    lead, member, owner = _orgs()
    app = ApplicationFacts(uuid.uuid4(), lead, (member,), owner)
    for org, word in ((lead, "lead"), (member, "member"), (owner, "owner")):
        expert = ExpertFacts(uuid.uuid4(), "E", Org(org.id))
        found = conflicts(HZ, [expert], [app])
        assert len(found) == 1 and word in found[0].relation
        assert found[0].violation.code == "panel.conflict_of_interest"
        assert str(app.id) in found[0].violation.detail
        assert str(expert.id) in found[0].violation.detail


def test_conflict_through_affiliation_declared_either_way() -> None:
    lead, member, owner = _orgs()
    app = ApplicationFacts(uuid.uuid4(), lead, (Org(member.id, frozenset({uuid.uuid4()})),), owner)
    expert_side = ExpertFacts(uuid.uuid4(), "A", Org(uuid.uuid4(), frozenset({lead.id})))
    expert_org = uuid.uuid4()
    org_side_app = ApplicationFacts(
        uuid.uuid4(), lead, (Org(member.id, frozenset({expert_org})),), owner
    )
    org_side = ExpertFacts(uuid.uuid4(), "B", Org(expert_org))
    assert "affiliated with the lead" in conflicts(HZ, [expert_side], [app])[0].relation
    assert (
        "affiliated with the consortium member"
        in conflicts(URC, [org_side], [org_side_app])[0].relation
    )
    owner_aff = ExpertFacts(uuid.uuid4(), "C", Org(uuid.uuid4(), frozenset({owner.id})))
    assert "demand owner" in conflicts(HZ, [owner_aff], [app])[0].relation


def test_unrelated_expert_has_no_conflict() -> None:
    lead, member, owner = _orgs()
    app = ApplicationFacts(uuid.uuid4(), lead, (member,), owner)
    assert conflicts(HZ, [ExpertFacts(uuid.uuid4(), "X", Org(uuid.uuid4()))], [app]) == []


@pytest.mark.parametrize(("racers", "blocked"), [(1, False), (3, False), (4, True)])
def test_urumqi_horse_race_up_to_three_fourth_is_soft(racers: int, blocked: bool) -> None:
    found = horse_race_violations(URC, racers)
    assert bool(found) is blocked
    assert all(v.enforcement == "soft" and v.clause == "URC 二(四)" for v in found)


def test_huzhou_has_no_horse_race() -> None:
    assert horse_race_violations(HZ, 2)[0].code == "results.horse_race_not_allowed"


def test_publicity_counts_days_in_city_time_zone() -> None:
    # 2024-05-01 23:30 in Shanghai is 15:30 UTC; day 1 is May 1 local, 5 days end May 6 00:00.
    opens = datetime(2024, 5, 1, 15, 30, tzinfo=UTC)
    closes, step = publicity_closes_at(HZ, opens)
    assert closes == datetime(2024, 5, 5, 16, 0, tzinfo=UTC)
    assert step["clause"] == "HZ 三(五)"


def test_decision_blocked_while_publicity_runs_or_objection_open() -> None:
    closes = datetime(2024, 5, 6, tzinfo=UTC)
    before, after = closes - timedelta(seconds=1), closes
    assert [b.code for b in blockers("public", closes, before, 0)] == ["decision.publicity_running"]
    assert [b.code for b in blockers("public", closes, after, 1)] == ["decision.objection_open"]
    assert blockers("public", closes, after, 0) == []
    assert blockers("reopened", closes, after, 0)[0].code == "decision.not_public"


def test_urumqi_unsigned_agreement_is_not_completed() -> None:
    signed = datetime(2024, 6, 1, tzinfo=UTC)
    assert outcome(URC, True, None)[0] == "not_completed"
    assert outcome(URC, True, None)[1]["clause"] == "URC 二(五)"
    assert outcome(URC, True, signed)[0] == "approved"
    assert outcome(HZ, True, None)[0] == "approved"
    assert outcome(HZ, False, signed)[0] == "rejected"


@pytest.mark.parametrize(
    ("so_far", "months", "ok"), [(0, 12, True), (6, 6, True), (6, 7, False), (0, 13, False)]
)
def test_huzhou_extension_at_most_twelve_months_in_total(
    so_far: int, months: int, ok: bool
) -> None:
    found = change_violations(HZ, "extension", months=months, extended_so_far=so_far)
    assert (not found) is ok
    assert all(v.clause == "HZ 三(七)" for v in found)


def test_urumqi_sets_no_extension_limit() -> None:
    assert change_violations(URC, "extension", months=36) == []


@pytest.mark.parametrize("kind", ["lower_indicator", "replace_solver"])
@pytest.mark.parametrize(("rules", "clause"), [(URC, "URC 二(七)"), (HZ, "HZ 三(七)")])
def test_indicators_and_solver_are_immutable(kind: str, rules: RuleSet, clause: str) -> None:
    found = change_violations(rules, kind, reason="please")
    assert found[0].code == f"projects.{kind}" and found[0].clause == clause


def test_pi_change_needs_reason() -> None:
    assert change_violations(URC, "pi_change")[0].code == "projects.pi_change_reason"
    assert change_violations(URC, "pi_change", reason="PI retired") == []
