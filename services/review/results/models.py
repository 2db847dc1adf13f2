"""A challenge's review state: results, winner choice, horse race and publicity (公示)."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.review.db import Base


class ChallengeReview(IdMixin, TimestampMixin, Base):
    """Created with the challenge's first panel; the facts come from intake at that moment.

    status: ``reviewing`` → ``public`` (publicity opened) → ``reopened`` (an objection was
    upheld; panels may be re-closed and publicity opened again).
    """

    __tablename__ = "challenge_reviews"

    city: Mapped[str] = mapped_column(String(64), index=True)
    challenge_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    round_id: Mapped[uuid.UUID]
    demand_id: Mapped[uuid.UUID]
    owner_org_id: Mapped[uuid.UUID]
    status: Mapped[str] = mapped_column(String(16), default="reviewing")
    publicity_opens_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    publicity_closes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    chosen_application_ids: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    horse_race: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    override_reason: Mapped[str | None] = mapped_column(Text)
