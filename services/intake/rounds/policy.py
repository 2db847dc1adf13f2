"""Window lengths of a round (URC 二(一) collection ≥ 30 days, 二(二) publication ≥ 15 days).

Days are whole calendar days in the city's time zone between the opening and the closing
date: a window opening 1 March and closing 31 March is 30 days, whatever the hours.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from common.policy import Violation
from common.rulesets.schema import Limit, RuleSet


def whole_days(opens: datetime, closes: datetime, timezone: str) -> int:
    zone = ZoneInfo(timezone)
    return (closes.astimezone(zone).date() - opens.astimezone(zone).date()).days


def _window(
    limit: Limit[int] | None, days: int, code: str, name: str, name_zh: str
) -> list[Violation]:
    if limit is None or days >= limit.value:
        return []
    return [
        Violation(
            code=code,
            clause=limit.clause,
            detail=f"The {name} window is {days} days; at least {limit.value} are required",
            detail_zh=f"{name_zh}期为{days}天，不得少于{limit.value}天",
            enforcement=limit.enforcement,
        )
    ]


def window_violations(
    ruleset: RuleSet,
    collection: tuple[datetime, datetime],
    publication: tuple[datetime, datetime],
) -> list[Violation]:
    rules = ruleset.rounds
    return [
        *_window(
            rules.collection_min_days,
            whole_days(*collection, ruleset.timezone),
            "ruleset.collection_window",
            "collection",
            "需求征集",
        ),
        *_window(
            rules.publication_min_days,
            whole_days(*publication, ruleset.timezone),
            "ruleset.publication_window",
            "publication",
            "发榜",
        ),
    ]


def unknown_fields(ruleset: RuleSet, fields_open: list[str]) -> list[str]:
    """Fields a round opens must be among the city's industry fields (URC 二(一), HZ 一)."""
    known = ruleset.field_codes()
    return [f for f in fields_open if f not in known]
