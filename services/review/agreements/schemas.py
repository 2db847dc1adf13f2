"""Agreement-terms change shapes."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, model_validator

from common.money import Money
from common.schemas import ReadSchema, Schema

Reason = Annotated[str, Field(min_length=1, max_length=20_000)]


class TermsCreate(Schema):
    """The signed agreement's figures that differ from the submitted ones, and why."""

    challenge_id: UUID
    application_id: UUID
    bounty_amount: Money | None = None
    total_investment: Money | None = None
    equity_contribution_valuation: Money | None = None
    reason: Reason

    @model_validator(mode="after")
    def _something(self) -> "TermsCreate":
        if (self.bounty_amount, self.total_investment, self.equity_contribution_valuation) == (
            None,
            None,
            None,
        ):
            raise ValueError("name at least one of the agreement's amounts")
        return self


class TermsDecision(Schema):
    approve: bool
    reason: Reason | None = None


class TermsRead(ReadSchema):
    id: UUID
    challenge_id: UUID
    application_id: UUID
    bounty_amount: Money | None
    total_investment: Money | None
    equity_contribution_valuation: Money | None
    reason: str
    status: str
    proposed_by: str
    decided_by: str | None
    decision_reason: str | None
    decided_at: datetime | None
    created_at: datetime
