"""The shape of a city's rule set (规则集). Every policy number lives in a file of this shape.

A new city is a new file; nothing here names a city. Each rule carries the clause of the policy
text it comes from, so every refusal can cite it. ``Limit.enforcement`` distinguishes hard
limits from "in principle" (原则上) ones that a bureau user may override with a written reason.
"""

from datetime import date
from decimal import Decimal
from typing import Generic, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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


class Category(Named):
    required_documents: list[str] = []


class Rounds(Strict):
    collection_min_days: Limit[int] | None = None
    publication_min_days: Limit[int] | None = None


class AchievementTransfer(Strict):
    category: str
    opinion_issuer_kinds: list[str] = Field(min_length=1)
    clause: str


class OwnerDuties(Strict):
    project_manager_required: bool
    clause: str


class Demands(Strict):
    required_fields: list[str] = []
    required_fields_clause: str | None = None
    min_total_investment: Limit[Decimal] | None = None
    bounty_within_total: Rule
    achievement_transfer: AchievementTransfer | None = None
    classified_refused: Rule | None = None
    over_quota: Rule | None = Field(
        default=None, description="Over-quota owners may publish, but the project gets no subsidy"
    )
    owner_duties: OwnerDuties | None = None


class SolverForm(Strict):
    consortium_required: bool
    lead_kinds: list[str] | None = None
    clause: str


class Applications(Strict):
    solver_form: SolverForm
    lead_rd_ratio_min: Limit[Decimal] | None = None
    pi_employed_by_lead: Rule | None = None
    no_other_municipal: Rule | None = None
    no_affiliation_with_owner: Rule | None = None
    required_documents: list[str] = []
    required_documents_clause: str | None = None


class Vetting(Strict):
    criteria: list[str] = Field(min_length=1)
    min_passed_vettings: int = Field(ge=1)
    clause: str


class Stage(Named):
    weight: Decimal = Field(gt=0, le=1)


class PanelRules(Strict):
    min_size: Limit[int]
    odd_size: Rule | None = None
    conflict_same_org: bool = True
    conflict_affiliated: bool = True
    conflict_demand_owner: bool = True
    conflict_clause: str


class Aggregation(Strict):
    method: Literal["mean", "trimmed_mean"] = "mean"
    trim_each_side: int = Field(default=0, ge=0)
    clause: str


class Rounding(Strict):
    places: int = Field(ge=0, le=4)
    mode: Literal["half_up", "half_even", "down"] = "half_up"
    clause: str


class Band(Named):
    min_total: Decimal = Field(ge=0, le=100)
    qualified: bool


class CountyRelaxation(Strict):
    counties: list[str] = Field(min_length=1)
    band: str
    min_total: Decimal
    clause: str


class WinnerRule(Strict):
    rule: Literal["highest_total", "owner_choice"]
    tie_break: list[Literal["earliest_submission", "higher_last_stage", "lower_requested_subsidy"]]
    clause: str


class Review(Strict):
    stages: list[Stage] = Field(min_length=1)
    stages_clause: str
    panel: PanelRules
    aggregation: Aggregation
    rounding: Rounding
    bands: list[Band] = Field(min_length=1)
    bands_clause: str
    county_relaxation: CountyRelaxation | None = None
    winner: WinnerRule
    horse_race_max: Limit[int] | None = None
    publicity_days: Limit[int]

    @model_validator(mode="after")
    def _weights_and_bands(self) -> "Review":
        if sum(s.weight for s in self.stages) != Decimal(1):
            raise ValueError("review.stages: weights must add up to 1")
        mins = [b.min_total for b in self.bands]
        if mins != sorted(mins, reverse=True) or mins[-1] != 0:
            raise ValueError("review.bands: list from highest min_total down to a band at 0")
        if self.county_relaxation and self.county_relaxation.band not in {
            b.code for b in self.bands
        }:
            raise ValueError("review.county_relaxation.band: not one of review.bands")
        return self


class Projects(Strict):
    extension_max_months: Limit[int] | None = None
    immutable_clause: str
    member_change_needs_approval: bool = True
    pi_change_needs_approval: bool = True
    changes_clause: str
    agreement_required_clause: str | None = None


class Tranche(Strict):
    seq: int = Field(ge=1)
    share: Decimal = Field(gt=0, le=1, description="Share of the subsidy cap")
    due: Literal["approval", "acceptance"]
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
    excluded: list[str] = []
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
        if sum(t.share for t in self.tranches if t.due == "approval") > 1:
            raise ValueError("funding.tranches: approval shares exceed the cap")
        return self


class RuleSet(Strict):
    city: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    name: str
    name_zh: str
    version: str
    effective_from: date
    timezone: str = "Asia/Shanghai"
    # The province whose `provincial` users read this city (common/provincial.py).
    province: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_-]*$")
    source: str
    categories: list[Category] = Field(min_length=1)
    categories_clause: str
    fields: list[Named] = Field(min_length=1)
    fields_clause: str
    counties: list[str] = []
    rounds: Rounds
    demands: Demands
    applications: Applications
    vetting: Vetting
    review: Review
    projects: Projects
    funding: Funding

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _references(self) -> "RuleSet":
        codes = {c.code for c in self.categories}
        at = self.demands.achievement_transfer
        if at and at.category not in codes:
            raise ValueError("demands.achievement_transfer.category: not one of categories")
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    def field_codes(self) -> set[str]:
        return {f.code for f in self.fields}
