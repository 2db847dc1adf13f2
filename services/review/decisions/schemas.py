"""Decision shapes."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field

from common.money import Money
from common.schemas import ReadSchema, Schema


class DecisionCreate(Schema):
    challenge_id: UUID
    application_id: UUID
    outcome: Literal["approve", "reject"]
    reason: Annotated[str, Field(max_length=20_000)] | None = None
    agreement_signed_at: datetime | None = None
    bounty_amount: Money | None = None
    equity_contribution_valuation: Money | None = None
    total_investment: Money | None = None


class DecisionRead(ReadSchema):
    id: UUID
    challenge_id: UUID
    application_id: UUID
    outcome: str
    reason: str | None
    project_id: UUID | None
    explanation: list[dict[str, Any]]
    created_at: datetime
