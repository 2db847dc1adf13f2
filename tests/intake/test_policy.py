"""The pure rule functions at their boundaries, with the cities' real rule-set files."""

import random
import uuid
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from common.rulesets.registry import RuleSetRegistry
from services.intake.applications.policy import ApplicationFacts, Org, eligibility_violations
from services.intake.demands.policy import DemandFacts, submission_violations, vetting_passed
from services.intake.organizations.policy import is_valid_credit_code
from services.intake.rounds.policy import whole_days, window_violations
from tests.intake.conftest import credit_code

RULES = RuleSetRegistry.load(Path(__file__).resolve().parents[2] / "rulesets")
URC, HZ = RULES.get("urumqi"), RULES.get("huzhou")


def codes(violations: list) -> list[str]:
    return [v.code for v in violations]


# 统一社会信用代码 -------------------------------------------------------------------------
def test_published_example_credit_code_is_valid() -> None:
    assert is_valid_credit_code("91350100M000100Y43")


@pytest.mark.parametrize("seed", range(25))
def test_independently_computed_codes_are_valid(seed: int) -> None:
    assert is_valid_credit_code(credit_code(random.Random(seed)))


@pytest.mark.parametrize(
    "bad",
    [
        "91350100M000100Y44",  # wrong check character
        "91350100M000100Y4",  # 17 characters
        "91350100M000100Y430",  # 19 characters
        "91350100I000100Y43",  # I is outside the charset
        "91350100m000100Y43",  # lower case
        "",
    ],
)
def test_malformed_credit_codes_are_refused(bad: str) -> None:
    assert not is_valid_credit_code(bad)


def test_every_single_character_change_breaks_the_check() -> None:
    code = "91350100M000100Y43"
    for i in range(17):
        for c in "0123456789ABCDEFGHJKLMNPQRTUWXY":
            if c != code[i]:
                assert not is_valid_credit_code(code[:i] + c + code[i + 1 :])


# rounds -------------------------------------------------------------------------------------
def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_days_are_counted_in_the_city_time_zone() -> None:
    # Shanghai: 1 March → 30 March is 29 days; the same instants in UTC are 28 Feb → 30 March.
    opens, closes = at("2025-03-01T00:30:00+08:00"), at("2025-03-30T23:30:00+08:00")
    assert whole_days(opens, closes, "Asia/Shanghai") == 29
    assert whole_days(opens, closes, "UTC") == 30


@pytest.mark.parametrize(("days", "refused"), [(29, True), (30, False)])
def test_urumqi_collection_window_boundary(days: int, refused: bool) -> None:
    opens = at("2025-03-01T09:00:00+08:00")
    closes = at(f"2025-03-{1 + days:02d}T09:00:00+08:00")
    pub = (at("2025-04-05T09:00:00+08:00"), at("2025-04-25T09:00:00+08:00"))
    violations = window_violations(URC, (opens, closes), pub)
    assert ("ruleset.collection_window" in codes(violations)) is refused
    if refused:
        assert violations[0].clause == "URC 二(一)" and violations[0].enforcement == "soft"


@pytest.mark.parametrize(("days", "refused"), [(14, True), (15, False)])
def test_urumqi_publication_window_boundary(days: int, refused: bool) -> None:
    col = (at("2025-03-01T09:00:00+08:00"), at("2025-04-01T09:00:00+08:00"))
    pub = (at("2025-04-05T09:00:00+08:00"), at(f"2025-04-{5 + days:02d}T09:00:00+08:00"))
    violations = window_violations(URC, col, pub)
    assert codes(violations) == (["ruleset.publication_window"] if refused else [])
    if refused:
        assert violations[0].clause == "URC 二(二)"


def test_huzhou_sets_no_window_minimum() -> None:
    one_day = (at("2025-03-01T09:00:00+08:00"), at("2025-03-02T09:00:00+08:00"))
    assert window_violations(HZ, one_day, one_day) == []


# demands ------------------------------------------------------------------------------------
def urc_demand(**over: object) -> DemandFacts:
    base: dict[str, object] = dict(
        category="tech_breakthrough",
        field="biomedicine",
        problem="p",
        core_indicators=[{"name": "yield", "target": "95", "unit": "%"}],
        due_months=24,
        expected_results="r",
        total_investment=Decimal("5000000.00"),
        bounty_amount=Decimal("1000000.00"),
        project_manager={"name": "Wang"},
        document_kinds=frozenset({"responsibility_letter", "evaluation_opinion"}),
    )
    base.update(over)
    return DemandFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("category", "clauses"),
    [("tech_breakthrough", ["URC 三(四)"]), ("achievement_transfer", ["URC 三(四)", "URC 二(一)"])],
)
def test_urumqi_demand_needs_the_owners_stored_files(category: str, clauses: list[str]) -> None:
    """The responsibility letter always; the evaluation opinion for achievement transfer."""
    opinion = {"issuer_kind": "industry_association", "issuer_name": "XJ"}
    facts = urc_demand(category=category, evaluation_opinion=opinion, document_kinds=frozenset())
    violations = submission_violations(URC, facts, ["biomedicine"])
    assert [v.clause for v in violations if v.code == "ruleset.required_document"] == clauses
    complete = urc_demand(category=category, evaluation_opinion=opinion)
    assert "ruleset.required_document" not in codes(
        submission_violations(URC, complete, ["biomedicine"])
    )


@pytest.mark.parametrize(
    ("total", "refused"), [("4999999.99", True), ("5000000.00", False), ("5000000.01", False)]
)
def test_urumqi_minimum_total_investment_boundary(total: str, refused: bool) -> None:
    facts = urc_demand(total_investment=Decimal(total), bounty_amount=Decimal("1.00"))
    violations = submission_violations(URC, facts, ["biomedicine"])
    assert ("ruleset.min_total_investment" in codes(violations)) is refused


@pytest.mark.parametrize(("bounty", "refused"), [("5000000.00", False), ("5000000.01", True)])
def test_bounty_cannot_exceed_total(bounty: str, refused: bool) -> None:
    violations = submission_violations(
        URC, urc_demand(bounty_amount=Decimal(bounty)), ["biomedicine"]
    )
    assert codes(violations) == (["ruleset.bounty_exceeds_total"] if refused else [])


def test_field_must_be_open_in_the_round() -> None:
    violations = submission_violations(URC, urc_demand(), ["chemicals"])
    assert codes(violations) == ["ruleset.field_not_open"]


@pytest.mark.parametrize(
    ("opinion", "refused"),
    [
        (None, True),
        ({"issuer_kind": "consulting_firm", "issuer_name": "X"}, True),
        ({"issuer_kind": "academic_committee", "issuer_name": "X"}, False),
    ],
)
def test_achievement_transfer_needs_an_opinion_from_an_allowed_issuer(
    opinion: dict | None, refused: bool
) -> None:
    facts = urc_demand(category="achievement_transfer", evaluation_opinion=opinion)
    violations = submission_violations(URC, facts, ["biomedicine"])
    assert codes(violations) == (["ruleset.evaluation_opinion"] if refused else [])


def test_classified_is_a_soft_refusal_in_urumqi_and_no_rule_in_huzhou() -> None:
    [v] = submission_violations(URC, urc_demand(classified=True), ["biomedicine"])
    assert (v.code, v.enforcement, v.clause) == ("ruleset.classified", "soft", "URC 二(一)")
    hz = urc_demand(classified=True, end_users="u")
    assert submission_violations(HZ, hz, ["biomedicine"]) == []


def test_huzhou_lists_every_missing_field_with_its_clause() -> None:
    facts = DemandFacts(category="tech_breakthrough", field="biomedicine")
    violations = submission_violations(HZ, facts, ["biomedicine"])
    assert codes(violations) == ["ruleset.required_field"] * 5
    assert {v.clause for v in violations} == {"HZ 三(一)"}
    assert all(v.detail and v.detail_zh for v in violations)


def test_core_indicator_target_must_be_measurable() -> None:
    facts = urc_demand(core_indicators=[{"name": "quality", "target": "much better"}])
    assert codes(submission_violations(URC, facts, ["biomedicine"])) == [
        "ruleset.indicator_not_measurable"
    ]


def test_urumqi_owner_must_name_a_project_manager() -> None:
    violations = submission_violations(URC, urc_demand(project_manager=None), ["biomedicine"])
    assert codes(violations) == ["ruleset.project_manager"]
    assert violations[0].clause == "URC 三(四)"


# vetting ------------------------------------------------------------------------------------
def test_vetting_needs_the_rule_sets_number_of_passes() -> None:
    expert = str(uuid.uuid4())
    assert not vetting_passed([], URC).passed
    assert not vetting_passed([{"expert_id": expert, "verdict": "fail"}], URC).passed
    decision = vetting_passed([{"expert_id": expert, "verdict": "pass"}], URC)
    assert decision.passed and decision.required == URC.vetting.min_passed_vettings


def test_the_same_expert_passing_twice_counts_once() -> None:
    expert = str(uuid.uuid4())
    two = [
        {"id": "a", "expert_id": expert, "verdict": "pass"},
        {"id": "b", "expert_id": expert, "verdict": "pass"},
    ]
    assert vetting_passed(two, URC).passes == 1


# applications -------------------------------------------------------------------------------
def org(
    kind: str = "enterprise",
    revenue: str | None = "10000000.00",
    rd: str | None = "300000.00",
    affiliated: frozenset = frozenset(),
) -> Org:
    return Org(
        uuid.uuid4(),
        kind,
        Decimal(revenue) if revenue else None,
        Decimal(rd) if rd else None,
        affiliated,
    )


HZ_DOCS = frozenset(
    {"application_form", "consortium_plan", "consortium_agreement", "credit_commitment"}
)


def hz_facts(**over: object) -> ApplicationFacts:
    base: dict[str, object] = dict(
        category="tech_breakthrough",
        owner=org(),
        lead=org(),
        members=[org("university")],
        pi_employed_by_lead=True,
        document_kinds=HZ_DOCS,
    )
    base.update(over)
    return ApplicationFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rd", "refused"), [("299000.00", True), ("299999.99", True), ("300000.00", False)]
)
def test_huzhou_lead_rd_ratio_boundary_is_exact(rd: str, refused: bool) -> None:
    violations = eligibility_violations(HZ, hz_facts(lead=org(rd=rd)))
    assert codes(violations) == (["ruleset.lead_rd_ratio"] if refused else [])


def test_huzhou_rd_ratio_unknown_revenue_is_refused() -> None:
    assert codes(eligibility_violations(HZ, hz_facts(lead=org(revenue=None)))) == [
        "ruleset.lead_rd_ratio"
    ]
    assert codes(eligibility_violations(HZ, hz_facts(lead=org(revenue="0")))) == [
        "ruleset.lead_rd_ratio"
    ]


def test_huzhou_lists_every_eligibility_failure() -> None:
    facts = hz_facts(
        lead=org("university"),
        members=[],
        pi_employed_by_lead=False,
        other_municipal_application=True,
        document_kinds=frozenset(),
    )
    assert codes(eligibility_violations(HZ, facts)) == [
        "ruleset.consortium_required",
        "ruleset.lead_kind",
        "ruleset.pi_employed_by_lead",
        "ruleset.other_municipal_application",
        *["ruleset.required_document"] * 4,
    ]


def test_a_consortium_of_the_lead_alone_is_not_a_consortium() -> None:
    lead = org()
    assert "ruleset.consortium_required" in codes(
        eligibility_violations(HZ, hz_facts(lead=lead, members=[lead]))
    )


def urc_facts(**over: object) -> ApplicationFacts:
    base: dict[str, object] = dict(
        category="tech_breakthrough",
        owner=org(),
        lead=org("university"),
        document_kinds=frozenset({"feasibility_plan"}),
    )
    base.update(over)
    return ApplicationFacts(**base)  # type: ignore[arg-type]


def test_urumqi_single_unit_without_affiliation_is_eligible() -> None:
    assert eligibility_violations(URC, urc_facts()) == []


def test_urumqi_affiliation_is_refused_in_either_direction_and_for_members() -> None:
    owner = org()
    linked_by_owner = org()
    owner = Org(owner.id, "enterprise", affiliated_org_ids=frozenset({linked_by_owner.id}))
    linked_by_solver = org(affiliated=frozenset({owner.id}))
    for facts in (
        urc_facts(owner=owner, lead=linked_by_owner),
        urc_facts(owner=owner, lead=linked_by_solver),
        urc_facts(owner=owner, members=[linked_by_owner]),
        urc_facts(owner=owner, lead=owner),
    ):
        violations = eligibility_violations(URC, facts)
        assert codes(violations) == ["ruleset.affiliation"]
        assert violations[0].clause == "URC 二(三)"


def test_urumqi_achievement_transfer_needs_an_ip_agreement() -> None:
    facts = urc_facts(category="achievement_transfer")
    assert codes(eligibility_violations(URC, facts)) == ["ruleset.required_document"]
    ok = urc_facts(
        category="achievement_transfer",
        document_kinds=frozenset({"feasibility_plan", "ip_agreement"}),
    )
    assert eligibility_violations(URC, ok) == []
