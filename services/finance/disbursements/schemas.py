"""Paying a tranche, and what auditors read of it."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import Field

from common.money import Money
from common.schemas import LongText, ReadSchema, Schema

DisbursementStatus = Literal["pending_approval", "paid", "cancelled"]


class DisbursementCreate(Schema):
    """Pay tranche ``tranche_seq`` of the project's plan; the amount comes from the plan."""

    project_id: UUID
    tranche_seq: int = Field(ge=1, le=100)
    note: LongText | None = None


class DisbursementRead(ReadSchema):
    id: UUID
    city: str
    project_id: UUID
    tranche_id: UUID
    tranche_seq: int
    amount: Money
    status: DisbursementStatus
    requested_by: str
    approved_by: str | None
    transaction_id: UUID | None
    paid_at: datetime | None
    note: str | None
    created_at: datetime
