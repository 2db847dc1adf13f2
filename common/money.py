"""CNY amounts and scores: exact decimals at fen precision, a two-place string on the wire.

The wire form is exactly ``^-?[0-9]+(\\.[0-9]{1,2})?$`` (ASCII digits only; the sign only where a
negative value means something): no exponent (``1e7``), no underscore (``1_000``), no ``+``, no
bare ``.5``, no full-width or other scripts' digits, and never a JSON number — a client that
sends 0.1 as a float has already lost the exact value. Answers are normalised (``-0`` → ``0.00``).
Values built inside the platform (``Decimal`` from the database or a policy) pass unchanged.
"""

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")
UNSIGNED_PATTERN = r"^\d{1,12}(\.\d{1,2})?$"
SIGNED_PATTERN = r"^-?\d{1,12}(\.\d{1,2})?$"
_UNSIGNED = re.compile(UNSIGNED_PATTERN, re.ASCII)
_SIGNED = re.compile(SIGNED_PATTERN, re.ASCII)
_HINT = 'a decimal string such as "3200000.00"'


def to_fen(value: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    return value.quantize(FEN, rounding=rounding)


def parse_decimal(value: Any, *, signed: bool = False, what: str = "money") -> Decimal:
    """The one strict parser: a ``Decimal`` made by the platform, or a wire string of the exact
    pattern. Anything else (numbers, exponents, other digits) is a ``ValueError`` → 422."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{what} must be a finite decimal")
        if value.as_tuple().exponent < -2:  # type: ignore[operator]
            raise ValueError(f"{what} has at most two decimal places")
        return value
    if not isinstance(value, str):
        raise ValueError(f"{what} must be {_HINT} (a JSON string), not a number")
    if not (_SIGNED if signed else _UNSIGNED).fullmatch(value):
        sign = "an optional '-', " if signed else ""
        raise ValueError(
            f"{what} must be {_HINT}: {sign}ASCII digits and at most two decimal places"
        )
    return Decimal(value)


def wire(value: Decimal) -> str:
    """Two places, half-up, and never ``-0.00``."""
    text = f"{to_fen(value):.2f}"
    return "0.00" if text == "-0.00" else text


def _parse_money(value: Any) -> Decimal:
    amount = parse_decimal(value)
    if amount < 0:
        raise ValueError("money cannot be negative")
    if amount > MAX_AMOUNT:
        raise ValueError("amount is too large")
    return to_fen(amount)


def _parse_signed(value: Any) -> Decimal:
    amount = parse_decimal(value, signed=True)
    if abs(amount) > MAX_AMOUNT:
        raise ValueError("amount is too large")
    return to_fen(amount) + 0  # + 0 turns -0 into 0


def _parse_score(value: Any) -> Decimal:
    score = parse_decimal(value, what="score")
    if score > 100:
        raise ValueError("a score is between 0 and 100")
    return score


_SERIALIZE = PlainSerializer(wire, return_type=str, when_used="always")

Money = Annotated[
    Decimal,
    BeforeValidator(_parse_money),
    _SERIALIZE,
    WithJsonSchema({"type": "string", "pattern": UNSIGNED_PATTERN, "examples": ["3200000.00"]}),
]
"""Amount in CNY, never negative: accepted as a decimal string, always answered as "0.00"."""

SignedMoney = Annotated[
    Decimal,
    BeforeValidator(_parse_signed),
    _SERIALIZE,
    WithJsonSchema({"type": "string", "pattern": SIGNED_PATTERN, "examples": ["-1500000.00"]}),
]
"""A signed amount (a ledger balance: a debit is positive, a credit negative)."""

Score = Annotated[
    Decimal,
    BeforeValidator(_parse_score),
    _SERIALIZE,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{1,3}(\.\d{1,2})?$",
            "description": "0–100, at most two decimal places",
            "examples": ["85.50"],
        }
    ),
]
"""An expert's score or a computed total, 0–100: a decimal string in, "85.50" out."""


def _score_out(value: Decimal) -> str:
    """Computed scores (means of several experts) may carry more places than two: shown as
    computed, but never with fewer than two places and never as ``-0``."""
    if value.as_tuple().exponent >= -2:  # type: ignore[operator]
        return wire(value)
    text = f"{value + 0:f}"
    return text


ScoreOut = Annotated[
    Decimal,
    PlainSerializer(_score_out, return_type=str, when_used="always"),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,3}\.\d{2,}$", "examples": ["82.00"]}),
]
"""A computed score read back (stage score, total)."""
