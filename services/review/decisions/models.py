"""The bureau's decision (立项决定) on a winning application after publicity."""

import uuid
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.review.db import Base


class Decision(IdMixin, TimestampMixin, Base):
    __tablename__ = "decisions"

    city: Mapped[str] = mapped_column(String(64), index=True)
    challenge_id: Mapped[uuid.UUID] = mapped_column(index=True)
    application_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))
    project_id: Mapped[uuid.UUID | None]
    explanation: Mapped[list[Any]] = mapped_column(JSONB, default=list)
