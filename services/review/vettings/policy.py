"""Vetting rules as pure functions (URC 二(二), HZ 三(二)): the rule set names the criteria."""

from collections.abc import Iterable

from common.policy import Violation
from common.rulesets.schema import RuleSet
from common.rulesets.vocabulary import zh_list


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
            f"遴选须就{zh_list(rules.vetting.criteria, rules.vetting.criteria_zh)}逐项评价",
        )
    ]
