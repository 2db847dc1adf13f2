"""The money part of a rule set: the subsidy cap, its tranches and the settlement."""

from decimal import Decimal
from typing import Literal

from pydantic import Field, field_validator, model_validator

from common.rulesets.base import OUTCOMES, Limit, Outcome, Strict


class Tranche(Strict):
    seq: int = Field(ge=1)
    share: Decimal = Field(gt=0, le=1, description="Share of the subsidy cap")
    due: Literal["approval", "midterm", "acceptance"] = Field(
        description="approval: due at 立项; midterm: released by the mid-term check the bureau "
        "records; acceptance: set by the settlement"
    )
    clause: str


class Settlement(Strict):
    base: Literal["audited_total_investment", "audited_bounty_paid"]
    rate: Decimal = Field(gt=0, le=1)
    factors: dict[Outcome, Decimal]
    clause: str
    factors_clause: str
    clawback_clause: str

    @field_validator("factors")
    @classmethod
    def _all_outcomes(cls, value: dict[Outcome, Decimal]) -> dict[Outcome, Decimal]:
        missing = [o for o in OUTCOMES if o not in value]
        if missing:
            raise ValueError(f"missing outcomes: {', '.join(missing)}")
        if any(not (0 <= f <= 1) for f in value.values()):
            raise ValueError("factors are between 0 and 1")
        return value


class BudgetRules(Strict):
    """The city's annual subsidy budget (年度预算): the clause a refusal cites. The ceiling holds
    for every city; a file without this section cites ``platform`` (the platform's own rule)."""

    clause: str = Field(min_length=1)


class Funding(Strict):
    base: Literal["bounty_amount", "total_investment"]
    rate: Decimal = Field(gt=0, le=1)
    cap_by_requested: bool
    cap_max: Limit[Decimal] | None = Field(
        default=None, description="An absolute ceiling on one project's subsidy"
    )
    excluded: list[str] = Field(default_factory=list)
    clause: str
    tranches: list[Tranche] = Field(min_length=1)
    settlement: Settlement
    four_eyes_threshold: Decimal = Field(gt=0)
    four_eyes_clause: str
    budget: BudgetRules | None = None

    @property
    def budget_clause(self) -> str:
        return self.budget.clause if self.budget else "platform"

    @model_validator(mode="after")
    def _tranches(self) -> "Funding":
        if [t.seq for t in self.tranches] != list(range(1, len(self.tranches) + 1)):
            raise ValueError("funding.tranches: seq must be 1, 2, … in order")
        if self.cap_max is not None and self.cap_max.value <= 0:
            raise ValueError("funding.cap_max: the ceiling must be above 0")
        total = sum((t.share for t in self.tranches), Decimal(0))
        if total != 1:
            raise ValueError(
                f"funding.tranches: the shares add up to {total}, not exactly 1 (the plan would "
                "not cover the cap the settlement pays)"
            )
        return self
