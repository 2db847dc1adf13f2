"""The explanation items every computed review outcome carries: rule, clause, text, numbers."""

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

from common.rulesets.schema import Rounding, RuleSet

_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}


def step(rule: str, clause: str | None, text: str, text_zh: str, **numbers: Any) -> dict[str, Any]:
    """One line of an explanation; numbers are rendered as strings so Decimals stay exact."""
    return {
        "rule": rule,
        "clause": clause,
        "text": text,
        "text_zh": text_zh,
        "numbers": {k: _render(v) for k, v in numbers.items()},
    }


def _render(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_render(v) for v in value]
    if isinstance(value, dict):
        return {k: _render(v) for k, v in value.items()}
    return value


def quantize(value: Decimal, rounding: Rounding) -> Decimal:
    """Round a score the way the city's rule set says (review.rounding)."""
    exponent = Decimal(1).scaleb(-rounding.places)
    return value.quantize(exponent, rounding=_MODES[rounding.mode])


def quoted(rules: RuleSet, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each step with the policy text's words for its clause (``clauses`` of the rule set)."""
    return [{**s, "clause_text": rules.quote(s.get("clause"))} for s in steps]
