"""The shape of a city's rule set (规则集). Every policy number lives in a file of this shape.

A new city is a new file; nothing here names a city. Each rule carries the clause of the policy
text it comes from, so every refusal can cite it. ``Limit.enforcement`` distinguishes hard
limits from "in principle" (原则上) ones that a bureau user may override with a written reason.
"""

from datetime import date
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from common.rulesets.base import (
    OUTCOMES,
    Enforcement,
    Limit,
    Named,
    Outcome,
    Ratio,
    Rule,
    Strict,
)
from common.rulesets.funding import BudgetRules, Funding, Settlement, Tranche
from common.rulesets.procedure import DEFAULT_STEPS, Procedure

__all__ = [
    "OUTCOMES",
    "BudgetRules",
    "Enforcement",
    "Funding",
    "Limit",
    "Named",
    "Outcome",
    "Ratio",
    "Rule",
    "Settlement",
    "Strict",
    "Tranche",
]


class Category(Named):
    required_documents: list[str] = Field(default_factory=list)


class Rounds(Strict):
    collection_min_days: Limit[int] | None = None
    publication_min_days: Limit[int] | None = None


class AchievementTransfer(Strict):
    category: str
    opinion_issuer_kinds: list[str] = Field(min_length=1)
    clause: str


class OwnerDuties(Strict):
    project_manager_required: bool
    responsibility_letter_required: bool = Field(
        default=False,
        description="The owner signs a responsibility letter (业主责任书) and names the project "
        "manager on the project before it starts",
    )
    clause: str


class Demands(Strict):
    required_fields: list[str] = Field(default_factory=list)
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
    required_documents: list[str] = Field(default_factory=list)
    required_documents_clause: str | None = None


class Vetting(Strict):
    criteria: list[str] = Field(min_length=1)
    criteria_zh: dict[str, str] = Field(
        default={}, description="Each criterion's Chinese name, for the messages"
    )
    min_passed_vettings: int = Field(ge=1)
    clause: str

    @model_validator(mode="after")
    def _names(self) -> "Vetting":
        unnamed = [c for c in self.criteria if self.criteria_zh and c not in self.criteria_zh]
        if unnamed:
            raise ValueError(f"vetting.criteria_zh: no name for {', '.join(unnamed)}")
        return self


class Stage(Named):
    weight: Decimal = Field(gt=0, le=1)
    panel_min_size: Limit[int] | None = Field(
        default=None, description="This stage's minimum panel size (else review.panel.min_size)"
    )
    panel_odd_size: Rule | None = Field(
        default=None, description="This stage's panel must be odd (else review.panel.odd_size)"
    )


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
    evaluation_opinion_clause: str | None = Field(
        default=None, description="The bureau may give the owner its opinion on the solvers"
    )

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


class AcceptanceRules(Strict):
    """Who accepts (the bureau itself or a commissioned third party) and whether the special
    audit report of a qualified accounting firm must be named on the record."""

    by: list[Literal["bureau", "third_party"]] = Field(min_length=1)
    audit_report_required: bool
    clause: str


class Projects(Strict):
    extension_max_months: Limit[int] | None = None
    immutable_clause: str
    member_change_needs_approval: bool = True
    pi_change_needs_approval: bool = True
    changes_clause: str
    agreement_required_clause: str | None = None
    member_change_documents: list[str] = Field(
        default=[], description="Documents a consortium member change must come with"
    )
    acceptance: AcceptanceRules | None = None
    carry_over_clause: str | None = Field(
        default=None, description="A challenge not completed may be carried into the next round"
    )


class RequiredDocument(Strict):
    """A file the texts require at one step (DOMAIN.md §5a), optionally for some categories."""

    kind: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str = ""
    categories: list[str] | None = None
    clause: str = Field(min_length=1)


class DocumentRules(Strict):
    """Files required beyond an application's (``applications.required_documents``): at
    demand submission, the decision's agreement, a member change, acceptance, meetings."""

    demand: list[RequiredDocument] = Field(default_factory=list)
    decision: list[RequiredDocument] = Field(default_factory=list)
    member_change: list[RequiredDocument] = Field(default_factory=list)
    acceptance: list[RequiredDocument] = Field(default_factory=list)
    meeting: list[RequiredDocument] = Field(default_factory=list)
    optional_kinds: list[str] = Field(default_factory=lambda: ["other"])


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
    counties: list[str] = Field(default_factory=list)
    rounds: Rounds
    demands: Demands
    applications: Applications
    vetting: Vetting
    review: Review
    projects: Projects
    funding: Funding
    procedure: Procedure = Procedure(steps=DEFAULT_STEPS)
    clauses: dict[str, str] = Field(
        default={},
        description="Each clause the file cites → the words of the policy text it rests on "
        "(Chinese original); 'silent' where the text says nothing and the bureau chose",
    )
    documents: DocumentRules = DocumentRules()

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
        from common.rulesets.checks import cross_check  # the checks read this very model

        problems = cross_check(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def quote(self, clause: str | None) -> str | None:
        """The policy text's words for ``clause`` (None when the file has none)."""
        return self.clauses.get(clause) if clause else None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    def field_codes(self) -> set[str]:
        return {f.code for f in self.fields}

    def document_kinds(self) -> set[str]:
        """Every kind of file this city's steps name: what an upload may be filed as."""
        docs = self.documents
        kinds = set(self.applications.required_documents) | set(docs.optional_kinds)
        for category in self.categories:
            kinds |= set(category.required_documents)
        for step in (docs.demand, docs.decision, docs.member_change, docs.acceptance, docs.meeting):
            kinds |= {d.kind for d in step}
        return kinds
