"""The annual subsidy budget (年度预算): totals per city and year, the entries that set it, each
plan's commitment against it, and the append-only journal of every movement."""

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.finance.db import Base

MONEY = Numeric(14, 2)


class Budget(IdMixin, TimestampMixin, Base):
    """One per city and year. Only guarded UPDATEs change it; the CHECK refuses an overdraft
    should code ever slip."""

    __tablename__ = "budgets"

    city: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    appropriated: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    committed: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    paid: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))

    __table_args__ = (
        Index("uq_budgets_city_year", "city", "year", unique=True),
        CheckConstraint(
            "committed >= 0 AND paid >= 0 AND committed + paid <= appropriated",
            name="within_appropriation",
        ),
    )


class BudgetEntry(IdMixin, TimestampMixin, Base):
    """An appropriation or an amendment (increase/decrease): pending until a second bureau user
    confirms it (four eyes); only confirmed entries count."""

    __tablename__ = "budget_entries"

    city: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    reason: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    recorded_by: Mapped[str] = mapped_column(String(200))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_budget_entries_city_year", "city", "year"),
        # one appropriation per city and year; later changes are amendments
        Index(
            "uq_budget_entries_appropriation",
            "city",
            "year",
            unique=True,
            postgresql_where=text("kind = 'appropriation' AND status <> 'rejected'"),
        ),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("status <> 'confirmed' OR decided_by <> recorded_by", name="four_eyes"),
    )


class BudgetCommitment(IdMixin, TimestampMixin, Base):
    """A plan's claim on the budget of its year: ``awaiting`` (the budget could not hold it;
    the plan is not payable) → ``committed``; ``outstanding`` is what is committed and unpaid."""

    __tablename__ = "budget_commitments"

    city: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    plan_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    project_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    outstanding: Mapped[Decimal] = mapped_column(MONEY)
    status: Mapped[str] = mapped_column(String(16))
    committed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_budget_commitments_waiting", "city", "year", "status", "created_at"),
        CheckConstraint("outstanding >= 0 AND outstanding <= amount", name="outstanding_range"),
    )


class BudgetMovement(IdMixin, Base):
    """The budget journal (预算会计), append-only: every change of a budget with the totals
    after it. Draws and returns carry the id the ledger's transaction carries too
    (``reference_id``: the disbursement; ``clawback_id``: the claw-back)."""

    __tablename__ = "budget_movements"

    city: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    project_id: Mapped[uuid.UUID | None]
    reference_id: Mapped[uuid.UUID | None]
    appropriated: Mapped[Decimal] = mapped_column(MONEY)
    committed: Mapped[Decimal] = mapped_column(MONEY)
    paid: Mapped[Decimal] = mapped_column(MONEY)
    actor: Mapped[str] = mapped_column(String(200))
    request_id: Mapped[str | None] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=True))  # the journal's order

    __table_args__ = (
        Index("ix_budget_movements_city_year_at", "city", "year", "at"),
        Index("ix_budget_movements_city_seq", "city", "seq"),
    )
