"""Vetting rules as pure functions (URC 二(二), HZ 三(二)): the rule set names the criteria."""

from collections.abc import Iterable

from common.policy import Violation
from common.rulesets.schema import RuleSet


def criteria_violations(rules: RuleSet, given: Iterable[str]) -> list[Violation]:
    wanted, got = set(rules.vetting.criteria), set(given)
    if wanted == got:
        return []
    missing, extra = sorted(wanted - got), sorted(got - wanted)
    return [
        Violation(
            "vetting.criteria",
            rules.vetting.clause,
            f"Vetting assesses exactly {', '.join(rules.vetting.criteria)}; "
            f"missing: {', '.join(missing) or '-'}; unknown: {', '.join(extra) or '-'}",
            "遴选须就创新性、必要性、可行性等规定要素逐项评价",
        )
    ]
