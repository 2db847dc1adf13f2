"""The procedure and the new-city rules as pure functions: the order of the steps, the joint
review's checks and exceptions, per-stage panel sizes, the ceiling, the mid-term tranche, and
messages built from the rule set's own data."""

import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

from common.rulesets.registry import RuleSetRegistry
from common.settings import ROOT
from services.finance.funding.policy import PlanFacts, plan_subsidy
from services.intake.applications.policy import ApplicationFacts, Org, eligibility_violations
from services.review.panels.policy import size_violations
from services.review.procedure.policy import (
    Credit,
    JointFacts,
    done_steps,
    joint_review,
    out_of_order,
)
from services.review.projects.policy import acceptance_violations, change_violations
from services.review.vettings.policy import criteria_violations

REG = RuleSetRegistry.load(ROOT / "rulesets", Path(__file__).parents[2] / "lifecycle" / "cities")
HZ, URC, JX = REG.get("huzhou"), REG.get("urumqi"), REG.get("jiaxing")


def test_huzhou_publicises_only_after_joint_review_and_meeting() -> None:
    refused = out_of_order(HZ, "publicity", {"expert_review"})
    assert refused is not None and refused.code == "procedure.out_of_order"
    assert refused.clause == "HZ 三(四)4" and "处室联审" in (refused.detail_zh or "")
    after_review = out_of_order(HZ, "publicity", {"expert_review", "joint_review"})
    assert after_review is not None and after_review.clause == "HZ 三(四)5"
    assert (
        out_of_order(HZ, "publicity", {"expert_review", "joint_review", "decision_meeting"}) is None
    )


def test_urumqi_publicises_after_expert_review_and_signs_before_establishment() -> None:
    assert out_of_order(URC, "publicity", {"expert_review"}) is None
    refused = out_of_order(URC, "establishment", {"expert_review", "publicity"})
    assert refused is not None and refused.clause == "URC 二(五)"
    assert URC.procedure.comes_before("agreement", "establishment")
    assert HZ.procedure.comes_before("establishment", "contract")


def test_steps_done_count_only_when_every_winner_has_them() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()

    class P:
        def __init__(self, app: uuid.UUID, status: str) -> None:
            self.application_id, self.status = app, status

    assert done_steps([P(a, "proposed"), P(b, "joint_review_passed")], [a, b]) == {
        "expert_review",
        "joint_review",
    }
    assert done_steps([P(a, "proposed")], [a]) >= {"joint_review", "decision_meeting"}
    assert done_steps([P(a, "joint_review_failed")], [a]) == {"expert_review"}


def _facts(**over: object) -> JointFacts:
    base: dict[str, object] = {
        "condition_problems": [],
        "quota": 10,
        "quota_used": 3,
        "budget_fits": True,
        "budget_detail": "cap 5,000,000.00, available 90,000,000.00",
        "credit": Credit("信用中国", date(2025, 5, 9), True, "R-1"),
    }
    return JointFacts(**{**base, **over})  # type: ignore[arg-type]


def test_joint_review_passes_when_every_division_passes() -> None:
    status, checks = joint_review(HZ, _facts(), None)
    assert status == "joint_review_passed"
    assert [c["check"] for c in checks] == ["conditions", "quota", "budget", "credit"]
    assert all(c["result"] == "passed" and c["clause"] == "HZ 三(四)4" for c in checks)
    assert "信用中国, 2025-05-09, R-1" in checks[3]["text"]


def test_a_failed_credit_check_blocks_even_with_a_reason() -> None:
    failed = Credit("信用中国", date(2025, 5, 9), False)
    status, checks = joint_review(HZ, _facts(credit=failed), "urgent")
    assert status == "joint_review_failed" and checks[3]["result"] == "failed"


def test_quota_is_soft_and_passes_only_on_a_reasoned_exception() -> None:
    full = _facts(quota=3, quota_used=3)
    assert joint_review(HZ, full, None)[0] == "joint_review_failed"
    status, checks = joint_review(HZ, full, "市政府专题会议确定的重点项目")
    assert status == "joint_review_passed" and checks[1]["result"] == "excepted"
    assert joint_review(HZ, _facts(quota=None), None)[0] == "joint_review_failed"


def test_budget_not_confirmed_and_conditions_not_met_block() -> None:
    assert joint_review(HZ, _facts(budget_fits=None), "x")[0] == "joint_review_failed"
    problem = {"code": "ruleset.lead_rd_ratio", "detail": "R&D below 3 %", "detail_zh": "不足3%"}
    status, checks = joint_review(HZ, _facts(condition_problems=[problem]), "x")
    assert status == "joint_review_failed" and "不足3%" in checks[0]["text_zh"]


def test_each_stage_has_its_own_panel_size() -> None:
    assert not size_violations(JX, 3, "written_review")
    assert size_violations(JX, 5, "onsite_visit")[0].detail_zh == "评审专家组至少 7 人，现为 5 人"
    assert [v.code for v in size_violations(JX, 8, "onsite_visit")] == ["panel.even_size"]
    assert [v.code for v in size_violations(JX, 4, "meeting_review")] == ["panel.too_small"]
    assert size_violations(HZ, 5, "meeting_review") == []  # the panel's own rule still holds


def test_the_ceiling_caps_the_subsidy_and_is_cited() -> None:
    facts = PlanFacts(
        Decimal("8000000.00"), Decimal("20000000.00"), Decimal("6000000.00"), Decimal(0), False
    )
    plan = plan_subsidy(JX, facts)
    assert plan.cap == Decimal("3000000.00")
    assert [t.amount for t in plan.tranches] == [
        Decimal("900000.00"),
        Decimal("900000.00"),
        Decimal("1200000.00"),
    ]
    assert [t.due for t in plan.tranches] == ["approval", "midterm", "acceptance"]
    assert "ceiling 3,000,000.00" in plan.formula.en and "中期检查通过后拨付" in plan.formula.zh
    assert plan_subsidy(HZ, facts).cap == Decimal("5000000.00")  # no ceiling in Huzhou


def test_lead_kind_message_comes_from_the_rule_set() -> None:
    owner = Org(uuid.uuid4(), "enterprise")
    lead = Org(uuid.uuid4(), "institute", Decimal("10000000"), Decimal("500000"))
    member = Org(uuid.uuid4(), "enterprise")
    facts = ApplicationFacts("tech_breakthrough", owner, lead, [member], True)
    jx = [v for v in eligibility_violations(JX, facts) if v.code == "ruleset.lead_kind"]
    hz = [v for v in eligibility_violations(HZ, facts) if v.code == "ruleset.lead_kind"]
    assert jx[0].detail_zh == "牵头单位须为企业、高校" and jx[0].clause == "JX 二(三)1"
    assert hz[0].detail_zh == "牵头单位须为企业" and hz[0].clause == "HZ 三(三)1"


def test_vetting_message_names_the_citys_criteria() -> None:
    jx = criteria_violations(JX, ["necessity"])
    assert jx[0].detail_zh == "遴选须就必要性、可行性逐项评价"
    hz = criteria_violations(HZ, ["necessity"])
    assert hz[0].detail_zh == "遴选须就创新性、必要性、可行性逐项评价"


def test_member_change_needs_the_new_plan_and_agreement_in_huzhou() -> None:
    refused = change_violations(HZ, "member_change", document_kinds=frozenset({"consortium_plan"}))
    assert refused[0].code == "projects.member_change_documents"
    assert refused[0].clause == "HZ 三(七)" and "consortium_agreement" in refused[0].detail
    both = frozenset({"consortium_plan", "consortium_agreement"})
    assert change_violations(HZ, "member_change", document_kinds=both) == []
    assert change_violations(URC, "member_change") == []


def test_urumqi_acceptance_names_who_accepted_and_the_audit_firm() -> None:
    assert [v.code for v in acceptance_violations(URC, None, None)] == [
        "projects.acceptance_by",
        "projects.audit_report",
    ]
    assert acceptance_violations(URC, "third_party", "天山会计师事务所") == []
    assert acceptance_violations(HZ, None, None) == []
