"""A technology demand (需求): what an owner needs solved, with its money and indicators."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, Numeric, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import IdMixin, TimestampMixin
from services.intake.db import Base
from services.intake.rounds.models import Round

DRAFT, SUBMITTED, PUBLISHED = "draft", "submitted", "published"


class Demand(IdMixin, TimestampMixin, Base):
    __tablename__ = "demands"

    city: Mapped[str] = mapped_column(String(64), index=True)
    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id"), index=True)
    owner_org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    category: Mapped[str] = mapped_column(String(64))
    field: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    problem: Mapped[str | None] = mapped_column(Text)
    core_indicators: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
    due_months: Mapped[int | None] = mapped_column(Integer)
    expected_results: Mapped[str | None] = mapped_column(Text)
    end_users: Mapped[str | None] = mapped_column(Text)
    total_investment: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    bounty_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    classified: Mapped[bool] = mapped_column(Boolean, default=False)
    evaluation_opinion: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    project_manager: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT, index=True)
    over_quota: Mapped[bool] = mapped_column(Boolean, default=False)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
    overrides: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))

    round: Mapped[Round] = relationship(lazy="raise")
