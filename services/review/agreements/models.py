"""Agreement terms (揭榜协议条款) that differ from the demand and application as submitted.

A bureau user proposes them with a reason; a second, different bureau user approves or rejects
them. Only approved terms change the money base a decision creates a project with.
"""

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, Index, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.review.db import Base

MONEY = Numeric(14, 2)


class AgreementTerms(IdMixin, TimestampMixin, Base):
    """status: ``pending`` → ``approved`` | ``rejected``; one pending change per application."""

    __tablename__ = "agreement_terms"
    __table_args__ = (
        Index(
            "uq_agreement_terms_pending",
            "application_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
    )

    city: Mapped[str] = mapped_column(String(64), index=True)
    challenge_id: Mapped[uuid.UUID]
    application_id: Mapped[uuid.UUID] = mapped_column(index=True)
    bounty_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    total_investment: Mapped[Decimal | None] = mapped_column(MONEY)
    equity_contribution_valuation: Mapped[Decimal | None] = mapped_column(MONEY)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    proposed_by: Mapped[str] = mapped_column(String(200))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
