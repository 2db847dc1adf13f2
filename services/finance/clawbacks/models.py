"""Claw-backs (收回) opened by a settlement, and the repayments recorded against them."""

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.finance.db import Base

MONEY = Numeric(14, 2)


class Clawback(IdMixin, TimestampMixin, Base):
    """open → settled. ``repaid`` never exceeds ``amount``: the database refuses it too."""

    __tablename__ = "clawbacks"

    city: Mapped[str] = mapped_column(String(64), index=True)
    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    repaid: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    excess: Mapped[Decimal] = mapped_column(MONEY)
    unused_amount: Mapped[Decimal] = mapped_column(MONEY)
    noncompliant_amount: Mapped[Decimal] = mapped_column(MONEY)
    status: Mapped[str] = mapped_column(String(16))
    clause: Mapped[str] = mapped_column(String(64))
    formula: Mapped[dict[str, Any]] = mapped_column(JSONB)
    opened_by: Mapped[str] = mapped_column(String(200))
    transaction_id: Mapped[uuid.UUID | None]

    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("repaid >= 0 AND repaid <= amount", name="repaid_within_amount"),
    )


class Repayment(IdMixin, TimestampMixin, Base):
    __tablename__ = "clawback_repayments"

    clawback_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clawbacks.id"), index=True)
    city: Mapped[str] = mapped_column(String(64))
    project_id: Mapped[uuid.UUID]
    amount: Mapped[Decimal] = mapped_column(MONEY)
    actor: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    transaction_id: Mapped[uuid.UUID]

    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)
