"""The money base a funding plan may rest on (DOMAIN.md §5), checked the same way by review
before it approves and by finance before it plans: pure, from the rule set only.

* The total investment is at least the city's hard minimum (``demands.min_total_investment``,
  URC 二(一)) and, in every city, more than zero.
* The amount the owner pays the solver (揭榜金额) lies within the total investment
  (``demands.bounty_within_total``).
* A city that caps the subsidy by the amount applied for (``funding.cap_by_requested``, HZ 二)
  has that amount.

Tests: tests/foundation/test_money_base.py (pure), tests/review/test_decision_money.py (through
the gateway), tests/finance/test_funding.py (finance refuses such a plan).
"""

from decimal import Decimal

from common.policy import Violation
from common.rulesets.schema import RuleSet


def base_violations(
    rules: RuleSet,
    *,
    total_investment: Decimal,
    bounty_amount: Decimal,
    requested_subsidy: Decimal | None,
) -> list[Violation]:
    """Every reason the total investment and bounty cannot carry a plan (empty when they can)."""
    found: list[Violation] = []
    minimum = rules.demands.min_total_investment
    floor = minimum.value if minimum is not None else Decimal("0.01")
    if total_investment < floor:
        found.append(
            Violation(
                "funding.min_total_investment",
                minimum.clause if minimum is not None else rules.funding.clause,
                f"A plan needs a total investment of at least {floor:,.2f}; "
                f"{total_investment:,.2f} given",
                f"项目总投入不得低于 {floor:,.2f} 元，现为 {total_investment:,.2f} 元",
            )
        )
    if bounty_amount > total_investment:
        found.append(
            Violation(
                "funding.bounty_within_total",
                rules.demands.bounty_within_total.clause,
                f"The bounty {bounty_amount:,.2f} exceeds the total investment "
                f"{total_investment:,.2f}",
                f"揭榜金额 {bounty_amount:,.2f} 元超过项目总投入 {total_investment:,.2f} 元",
            )
        )
    if rules.funding.cap_by_requested and requested_subsidy is None:
        found.append(
            Violation(
                "funding.requested_subsidy_missing",
                rules.funding.clause,
                "The subsidy is capped by the amount applied for, which is missing",
                "补助不得超过申请金额，但未提供申请补助金额",
            )
        )
    return found
