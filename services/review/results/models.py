"""A challenge's review state: results, winner choice, horse race and publicity (公示)."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, DateTime, Index, Integer, Numeric, String, Text, UniqueConstraint
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
    # URC 二(三): the bureau's evaluation opinions on the solvers, given to the owner.
    evaluation_opinions: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    # Set when the stored results below were last computed; None while a stage is open.
    results_computed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StoredResult(IdMixin, Base):
    """One application's result, computed once when the challenge's last panel closes (and
    again by ``results.service.recompute`` when a choice, an objection or a withdrawal changes
    it), so reading results is a paginated read of rows, never a recomputation."""

    __tablename__ = "results"
    __table_args__ = (
        UniqueConstraint("challenge_id", "application_id"),
        Index("ix_results_challenge_rank", "challenge_id", "rank"),
    )

    city: Mapped[str] = mapped_column(String(64))
    challenge_id: Mapped[uuid.UUID]
    application_id: Mapped[uuid.UUID]
    lead_org_id: Mapped[uuid.UUID]
    stage_scores: Mapped[dict[str, str]] = mapped_column(JSONB)
    total: Mapped[Decimal] = mapped_column(Numeric)  # the scale the rule set rounded to
    band: Mapped[str] = mapped_column(String(64))
    qualified: Mapped[bool] = mapped_column(Boolean)
    rank: Mapped[int] = mapped_column(Integer)
    winner: Mapped[bool] = mapped_column(Boolean)
    explanation: Mapped[list[Any]] = mapped_column(JSONB)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
