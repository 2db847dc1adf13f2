"""The annual budget in and out: entries (appropriation, increase, decrease), the totals per
year, and the check review asks before approving."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from common.money import Money
from common.schemas import ReadSchema, Schema
from services.finance.funding.schemas import FundingPlanCreate

EntryKind = Literal["appropriation", "increase", "decrease"]
EntryStatus = Literal["pending", "confirmed", "rejected"]


class BudgetEntryCreate(Schema):
    """Record an appropriation (once per year) or an amendment; a second bureau user confirms."""

    year: int = Field(ge=2000, le=2100, examples=[2025])
    kind: EntryKind = "appropriation"
    amount: Money = Field(description="Positive; a decrease is a positive amount taken away")
    reason: str = Field(min_length=1, max_length=2000, examples=["2025 年度市级科技计划预算"])
    reference: str | None = Field(
        default=None, max_length=200, description="The budget document (e.g. its number)"
    )


class BudgetEntryDecision(Schema):
    note: str | None = Field(default=None, max_length=2000)


class BudgetEntryRead(ReadSchema):
    id: UUID
    city: str
    year: int
    kind: str
    amount: Money
    reason: str
    reference: str | None
    status: str
    recorded_by: str
    decided_by: str | None
    decided_at: datetime | None
    created_at: datetime


class BudgetRead(BaseModel):
    """One year's budget: available = appropriated − committed − paid."""

    city: str
    year: int
    appropriated: Money
    committed: Money
    paid: Money
    available: Money
    awaiting_plans: int = Field(description="Approved plans the budget could not hold yet")
    awaiting_amount: Money
    pending_entries: list[BudgetEntryRead]
    journal_consistent: bool = Field(
        description="The totals recomputed from the append-only budget journal equal these"
    )


class BudgetMovementRead(ReadSchema):
    """One line of the budget journal, with the year's totals after it."""

    id: UUID
    seq: int
    year: int
    kind: Literal["appropriation", "increase", "decrease", "commit", "draw", "release", "return"]
    amount: Money
    project_id: UUID | None
    reference_id: UUID | None = Field(
        description="Entry, plan, disbursement (also on the ledger posting) or claw-back"
    )
    appropriated: Money
    committed: Money
    paid: Money
    actor: str
    at: datetime


class BudgetsRead(BaseModel):
    items: list[BudgetRead]
    clause: str
    paid_total: Money = Field(description="Σ paid over all the city's budgets (every year)")
    ledger_paid: Money = Field(
        description="Net subsidy paid out of the city's budget account on the ledger"
    )
    consistent_with_ledger: bool


class BudgetCheckCreate(FundingPlanCreate):
    """The plan review is about to approve (the body it will send to ``POST /funding``)."""


class BudgetCheckRead(BaseModel):
    year: int
    subsidy_cap: Money
    available: Money
    fits: bool
