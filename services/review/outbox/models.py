"""The outbox: calls to finance written in the same transaction as the change that needs them,
delivered only after that transaction commits and retried with the same body (backoff with
jitter) until finance (idempotent) accepts, or dead-lettered for the bureau after too many
attempts. Status: ``pending`` → ``delivered`` | ``dead`` (→ ``pending`` on a reasoned retry)."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.review.db import Base


class Delivery(IdMixin, TimestampMixin, Base):
    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("project_id", "kind"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
    )

    city: Mapped[str] = mapped_column(String(64), index=True)
    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(32))
    path: Mapped[str] = mapped_column(String(300))
    body: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dead_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
