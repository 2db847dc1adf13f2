"""The procedure's rules as pure functions: the order of the steps and the joint review.

HZ 三(四)4: the divisions check the application conditions, the project quota (立项控制数),
the annual budget and the credit check, and only then propose; HZ 三(四)5: the director
meeting decides; HZ 三(五): the proposed projects are publicised after the decision. URC
二(五): publicity after expert review, the agreement before 立项. The order is
``procedure.steps`` of the rule set (``common.rulesets.procedure``).

Tests: tests/review/procedure/test_policy.py (order, each check, the exception rule) and
tests/review/procedure/test_huzhou_order.py, test_urumqi_order.py (through the gateway).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from common.errors import Conflict
from common.rulesets.schema import RuleSet
from common.rulesets.vocabulary import JOINT_REVIEW_CHECKS, PROCEDURE_STEPS
from services.review.explain import step


def out_of_order(rules: RuleSet, code: str, done: set[str]) -> Conflict | None:
    """A 409 naming the first earlier step not yet done, with its clause; None when in order."""
    missing = rules.procedure.missing_before(code, done)
    if not missing:
        return None
    first = missing[0]
    en, zh = PROCEDURE_STEPS[first.code]
    this_en, this_zh = PROCEDURE_STEPS[code]
    return Conflict(
        f"The procedure puts '{en}' before '{this_en}'; it is not done yet",
        code="procedure.out_of_order",
        clause=first.clause,
        detail_zh=f"按规定程序，须先完成“{zh}”，方可进行“{this_zh}”",
    )


def done_steps(proposals: Sequence[Any], winners: Sequence[UUID]) -> set[str]:
    """Steps every winner has completed (expert review is done once there are results);
    ``proposals`` are the challenge's records with ``application_id`` and ``status``."""
    by_app = {p.application_id: p for p in proposals}
    found = [by_app.get(w) for w in winners]
    done = {"expert_review"}
    if winners and all(p and p.status != "joint_review_failed" for p in found):
        done.add("joint_review")
    if winners and all(p and p.status == "proposed" for p in found):
        done.add("decision_meeting")
    return done


@dataclass(frozen=True)
class Credit:
    source: str
    checked_on: date
    passed: bool
    reference: str | None = None


@dataclass(frozen=True)
class JointFacts:
    """What each division found. ``None`` where the facts could not be had: a failed check."""

    condition_problems: list[dict[str, Any]] | None
    quota: int | None
    quota_used: int
    budget_fits: bool | None
    budget_detail: str
    credit: Credit
    numbers: dict[str, Any] = field(default_factory=dict)


def _conditions(facts: JointFacts) -> tuple[bool, str, str]:
    if facts.condition_problems is None:
        return False, "The conditions could not be re-checked", "申报条件未能复核"
    if facts.condition_problems:
        what = "; ".join(str(p.get("detail")) for p in facts.condition_problems)
        what_zh = "；".join(
            str(p.get("detail_zh") or p.get("detail")) for p in facts.condition_problems
        )
        return (
            False,
            f"Conditions not met on current facts: {what}",
            f"按当前情况不符合申报条件：{what_zh}",
        )
    return True, "Conditions met on current facts", "按当前情况符合申报条件"


def _quota(facts: JointFacts) -> tuple[bool, str, str]:
    if facts.quota is None:
        return False, "No project quota recorded for the year", "本年度未设立项控制数"
    ok = facts.quota_used < facts.quota
    return (
        ok,
        f"{facts.quota_used} of {facts.quota} projects proposed this year",
        f"本年度已提出立项建议 {facts.quota_used} 项，立项控制数 {facts.quota} 项",
    )


def _budget(facts: JointFacts) -> tuple[bool, str, str]:
    if facts.budget_fits is None:
        return False, f"Annual budget not confirmed: {facts.budget_detail}", "年度预算未能核实"
    if facts.budget_fits:
        return (
            True,
            f"The annual budget holds the subsidy: {facts.budget_detail}",
            "年度预算可以安排",
        )
    return (
        False,
        f"The annual budget does not hold the subsidy: {facts.budget_detail}",
        "年度预算不足",
    )


def _credit(facts: JointFacts) -> tuple[bool, str, str]:
    c = facts.credit
    where = f"{c.source}, {c.checked_on.isoformat()}" + (f", {c.reference}" if c.reference else "")
    if c.passed:
        return True, f"Credit check passed ({where})", f"信用核查通过（{where}）"
    return False, f"Credit check failed ({where})", f"信用核查未通过（{where}）"


CHECKS = {"conditions": _conditions, "quota": _quota, "budget": _budget, "credit": _credit}


def joint_review(
    rules: RuleSet, facts: JointFacts, exception_reason: str | None
) -> tuple[str, list[dict[str, Any]]]:
    """Each check of the rule set with its result; ``joint_review_passed`` when all pass, or
    when every failed one is soft and a reason for the exception is given."""
    spec = rules.procedure.joint_review
    if spec is None:
        raise Conflict("This city's procedure has no joint review", code="procedure.no_step")
    results, blocking = [], False
    for code, check in spec.checks.items():
        passed, en, zh = CHECKS[code](facts)
        name_en, name_zh = JOINT_REVIEW_CHECKS[code]
        excepted = not passed and check.enforcement == "soft" and bool(exception_reason)
        blocking |= not passed and not excepted
        item = step(
            f"joint_review.{code}",
            check.clause,
            f"{name_en}: {en}",
            f"{name_zh}：{zh}",
            **facts.numbers.get(code, {}),
        )
        result = "passed" if passed else "excepted" if excepted else "failed"
        results.append({**item, "check": code, "result": result, "enforcement": check.enforcement})
    return ("joint_review_failed" if blocking else "joint_review_passed"), results
