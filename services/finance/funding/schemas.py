"""Funding plan in and out, and the acceptance facts review reports."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, Field, field_serializer

from common.money import Money
from common.rulesets.schema import Outcome
from common.schemas import LongText, ReadSchema, Schema, ShortText
from common.states import FundingStatus, TrancheStatus


class FundingPlanCreate(Schema):
    """Sent by review when a project is approved (service only, docs/service-contracts.md)."""

    project_id: UUID
    city: str = Field(min_length=1, max_length=64)
    ruleset_version: ShortText
    challenge_id: UUID | None = None
    round_id: UUID | None = None
    owner_org_id: UUID
    solver_org_id: UUID
    category: str | None = Field(default=None, max_length=64)
    bounty_amount: Money
    equity_contribution_valuation: Money = Decimal("0.00")
    total_investment: Money
    requested_subsidy: Money | None = None
    over_quota: bool = False
    approved_at: AwareDatetime | None = Field(
        default=None,
        description="When the project was approved; its date in the city's time zone is the "
        "budget year the cap is committed against (absent: when finance receives the plan)",
    )


class AcceptanceCreate(Schema):
    """The acceptance outcome and the special audit's figures (HZ 三(八))."""

    outcome: Outcome
    audited_total_investment: Money
    audited_bounty_paid: Money | None = None
    unused_amount: Money = Decimal("0.00")
    noncompliant_amount: Money = Decimal("0.00")
    opinion: LongText | None = None
    revision: int = Field(
        default=0, ge=0, le=10_000, description="0 first; each reasoned correction adds 1"
    )
    correction_reason: LongText | None = None


class MidtermReport(Schema):
    """The mid-term check the bureau recorded on the project (sent by review)."""

    outcome: Literal["passed", "failed"]
    checked_on: date
    opinion: LongText | None = None


class FormulaRead(BaseModel):
    en: str
    zh: str
    clauses: list[str]


class TrancheRead(ReadSchema):
    id: UUID
    seq: int
    share: Decimal
    due: str
    amount: Money
    status: TrancheStatus
    clause: str

    @field_serializer("share")
    def _share(self, share: Decimal) -> str:
        """The same text whether read back from the database (0.3000) or just computed (0.30)."""
        return f"{share.normalize():f}"


class AcceptanceRead(BaseModel):
    outcome: Outcome
    audited_total_investment: Money | None
    audited_bounty_paid: Money | None
    unused_amount: Money | None
    noncompliant_amount: Money | None
    opinion: str | None
    accepted_at: datetime | None


class FundingRead(BaseModel):
    project_id: UUID
    city: str
    status: FundingStatus
    ruleset_version: str
    owner_org_id: UUID
    solver_org_id: UUID
    subsidy_cap: Money
    tranches: list[TrancheRead]
    paid: Money
    outstanding: Money
    formula: FormulaRead
    acceptance: AcceptanceRead | None
    recomputed_subsidy: Money | None
    settlement: dict[str, Any] | None
    created_at: datetime
