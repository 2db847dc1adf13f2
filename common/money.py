"""CNY amounts: exact decimals at fen precision, a two-place string on the wire, never a float."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")


def to_fen(value: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    return value.quantize(FEN, rounding=rounding)


def _parse_money(value: Any) -> Decimal:
    if isinstance(value, bool | float):
        raise ValueError('money must be a decimal string such as "3200000.00", not a float')
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, str):
        text = value.strip()
        if not text or len(text) > 20:
            raise ValueError('money must be a decimal string such as "3200000.00"')
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError('money must be a decimal string such as "3200000.00"') from exc
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValueError("money must be a finite decimal")
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError("money has at most two decimal places (fen)")
    if value < 0:
        raise ValueError("money cannot be negative")
    if value > MAX_AMOUNT:
        raise ValueError("amount is too large")
    return to_fen(value)


Money = Annotated[
    Decimal,
    BeforeValidator(_parse_money),
    PlainSerializer(lambda v: f"{v:.2f}", return_type=str, when_used="always"),
    WithJsonSchema(
        {"type": "string", "pattern": r"^\d{1,12}(\.\d{1,2})?$", "examples": ["3200000.00"]}
    ),
]
"""Amount in CNY: accepted as a decimal string (or integer), always answered as "0.00"."""
