"""The building blocks of a rule set: a limit, a rule and a named code, each with its clause."""

from decimal import Decimal
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")
Enforcement = Literal["hard", "soft"]
Outcome = Literal["passed", "shortfall", "shortfall_consortium", "closed", "failed"]
OUTCOMES: tuple[Outcome, ...] = ("passed", "shortfall", "shortfall_consortium", "closed", "failed")
Ratio = Decimal  # validated to 0..1 where used


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Limit(Strict, Generic[T]):
    """A number with its clause and whether a bureau override may lift it."""

    value: T
    enforcement: Enforcement = "hard"
    clause: str = Field(min_length=1)


class Rule(Strict):
    """A yes/no rule that is switched on for the city, with its clause."""

    clause: str = Field(min_length=1)
    enforcement: Enforcement = "hard"


class Named(Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str = Field(min_length=1)
    name: str = ""
