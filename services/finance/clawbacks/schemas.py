"""Claw-backs and repayments as auditors and the bureau see them."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field, computed_field, field_validator

from common.money import Money
from common.schemas import LongText, ReadSchema, Schema
from services.finance.funding.schemas import FormulaRead

ClawbackStatus = Literal["open", "settled"]


class ClawbackRead(ReadSchema):
    id: UUID
    city: str
    project_id: UUID
    amount: Money
    repaid: Money
    excess: Money
    unused_amount: Money
    noncompliant_amount: Money
    status: ClawbackStatus
    clause: str
    formula: FormulaRead
    opened_by: str
    transaction_id: UUID | None
    created_at: datetime

    @field_validator("formula", mode="before")
    @classmethod
    def _formula(cls, value: Any) -> Any:
        return FormulaRead(**value) if isinstance(value, dict) else value

    @computed_field  # type: ignore[prop-decorator]
    @property
    def outstanding(self) -> Annotated[Decimal, Field()]:
        return self.amount - self.repaid


class RepaymentCreate(Schema):
    amount: Money
    note: LongText | None = None

    @field_validator("amount")
    @classmethod
    def _positive(cls, value: Decimal) -> Decimal:
        if value <= 0:
            raise ValueError("a repayment must be more than 0.00")
        return value


class RepaymentRead(ReadSchema):
    id: UUID
    clawback_id: UUID
    amount: Money
    actor: str
    note: str | None
    transaction_id: UUID
    created_at: datetime
    clawback: ClawbackRead
