"""A project's funding plan (资金拨付计划) and its tranches, fixed when the project is approved."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import IdMixin, TimestampMixin
from services.finance.db import Base

MONEY = Numeric(14, 2)


class FundingPlan(IdMixin, TimestampMixin, Base):
    """One per project; the facts it was computed from are kept so the formula can be re-read."""

    __tablename__ = "funding_plans"

    city: Mapped[str] = mapped_column(String(64), index=True)
    project_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    ruleset_version: Mapped[str] = mapped_column(String(64))
    challenge_id: Mapped[uuid.UUID | None]
    round_id: Mapped[uuid.UUID | None]
    owner_org_id: Mapped[uuid.UUID] = mapped_column(index=True)
    solver_org_id: Mapped[uuid.UUID] = mapped_column(index=True)
    category: Mapped[str | None] = mapped_column(String(64))
    bounty_amount: Mapped[Decimal] = mapped_column(MONEY)
    equity_contribution_valuation: Mapped[Decimal] = mapped_column(MONEY)
    total_investment: Mapped[Decimal] = mapped_column(MONEY)
    requested_subsidy: Mapped[Decimal | None] = mapped_column(MONEY)
    over_quota: Mapped[bool] = mapped_column(Boolean)
    subsidy_cap: Mapped[Decimal] = mapped_column(MONEY)
    formula: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(32), default="active")
    # acceptance (验收), as reported by review
    outcome: Mapped[str | None] = mapped_column(String(32))
    audited_total_investment: Mapped[Decimal | None] = mapped_column(MONEY)
    audited_bounty_paid: Mapped[Decimal | None] = mapped_column(MONEY)
    unused_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    noncompliant_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    acceptance_opinion: Mapped[str | None] = mapped_column(Text)
    acceptance_hash: Mapped[str | None] = mapped_column(String(64))
    acceptance_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # settlement (结算)
    recomputed_subsidy: Mapped[Decimal | None] = mapped_column(MONEY)
    settlement: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    tranches: Mapped[list["Tranche"]] = relationship(
        lazy="raise", order_by="Tranche.seq", back_populates="plan"
    )

    __table_args__ = (CheckConstraint("subsidy_cap >= 0", name="cap_not_negative"),)


class Tranche(IdMixin, TimestampMixin, Base):
    """planned → due → (paying →) paid, or cancelled when a settlement supersedes it."""

    __tablename__ = "tranches"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("funding_plans.id"), index=True)
    city: Mapped[str] = mapped_column(String(64))
    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    seq: Mapped[int]
    share: Mapped[Decimal] = mapped_column(Numeric(6, 4))
    due: Mapped[str] = mapped_column(String(16))
    clause: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    status: Mapped[str] = mapped_column(String(16))

    plan: Mapped[FundingPlan] = relationship(lazy="raise", back_populates="tranches")

    __table_args__ = (
        UniqueConstraint("plan_id", "seq", name="uq_tranches_plan_seq"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )
