"""Objections (异议) filed during publicity, answered by the publisher, resolved by the bureau."""

import uuid
from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.review.db import Base

OPEN_STATES = ("open", "answered")


class Objection(IdMixin, TimestampMixin, Base):
    __tablename__ = "objections"

    city: Mapped[str] = mapped_column(String(64), index=True)
    challenge_id: Mapped[uuid.UUID] = mapped_column(index=True)
    application_id: Mapped[uuid.UUID | None]
    text: Mapped[str] = mapped_column(Text)
    filed_by: Mapped[str] = mapped_column(String(200))
    filed_by_role: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(200))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution_reason: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
