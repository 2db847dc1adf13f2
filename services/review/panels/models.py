"""Expert panels (评审专家组) for one review stage of a round's challenges, and their scores."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import IdMixin, TimestampMixin
from services.review.db import Base


class Panel(IdMixin, TimestampMixin, Base):
    __tablename__ = "panels"

    city: Mapped[str] = mapped_column(String(64), index=True)
    round_id: Mapped[uuid.UUID] = mapped_column(index=True)
    stage: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="open")
    ruleset_version: Mapped[str] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))

    members: Mapped[list["PanelMember"]] = relationship(lazy="raise", order_by="PanelMember.id")
    challenges: Mapped[list["PanelChallenge"]] = relationship(lazy="raise")
    entries: Mapped[list["PanelEntry"]] = relationship(lazy="raise", order_by="PanelEntry.id")


class PanelMember(IdMixin, Base):
    __tablename__ = "panel_members"
    __table_args__ = (UniqueConstraint("panel_id", "expert_id"),)

    panel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("panels.id"), index=True)
    expert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("experts.id"), index=True)


class PanelChallenge(IdMixin, Base):
    """One row per (challenge, stage): a challenge meets exactly one panel per stage."""

    __tablename__ = "panel_challenges"
    __table_args__ = (UniqueConstraint("challenge_id", "stage"),)

    panel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("panels.id"), index=True)
    challenge_id: Mapped[uuid.UUID] = mapped_column(index=True)
    stage: Mapped[str] = mapped_column(String(64))


class PanelEntry(IdMixin, Base):
    """An application the panel reviews, with the facts results need, snapshotted from intake."""

    __tablename__ = "panel_entries"
    __table_args__ = (UniqueConstraint("panel_id", "application_id"),)

    panel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("panels.id"), index=True)
    application_id: Mapped[uuid.UUID] = mapped_column(index=True)
    challenge_id: Mapped[uuid.UUID] = mapped_column(index=True)
    lead_org_id: Mapped[uuid.UUID]
    county: Mapped[str | None] = mapped_column(String(64))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    requested_subsidy: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    stage_score: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    explanation: Mapped[list[Any] | None] = mapped_column(JSONB)
    # An upheld objection reopens the scores it concerns, not the panel: its members may
    # rescore this entry while the panel stays closed for every other challenge on it.
    reopened: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")


class Score(IdMixin, TimestampMixin, Base):
    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("panel_id", "application_id", "expert_id"),)

    panel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("panels.id"), index=True)
    application_id: Mapped[uuid.UUID]
    expert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("experts.id"))
    score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    comment: Mapped[str] = mapped_column(Text)
