"""A challenge (榜单项): a published demand, open for applications in its publication window.

The public content is copied from the demand at publication so the list is one query and a
later correction of the demand cannot change what solvers answered.
"""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, Numeric, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.intake.db import Base


class Challenge(IdMixin, TimestampMixin, Base):
    __tablename__ = "challenges"

    city: Mapped[str] = mapped_column(String(64), index=True)
    demand_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("demands.id"), unique=True)
    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id"), index=True)
    owner_org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    category: Mapped[str] = mapped_column(String(64))
    field: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    problem: Mapped[str | None] = mapped_column(Text)
    core_indicators: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    due_months: Mapped[int | None] = mapped_column(Integer)
    expected_results: Mapped[str | None] = mapped_column(Text)
    end_users: Mapped[str | None] = mapped_column(Text)
    bounty_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    over_quota: Mapped[bool] = mapped_column(Boolean, default=False)
    publication_opens_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    publication_closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    results_public: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("false")
    )
    results_public_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str] = mapped_column(String(200))
