"""Vetting (遴选) of a submitted demand by assigned experts before the bureau publishes it."""

import uuid
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.review.db import Base


class VettingAssignment(IdMixin, TimestampMixin, Base):
    __tablename__ = "vetting_assignments"
    __table_args__ = (UniqueConstraint("demand_id", "expert_id"),)

    city: Mapped[str] = mapped_column(String(64), index=True)
    demand_id: Mapped[uuid.UUID] = mapped_column(index=True)
    expert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("experts.id"), index=True)
    assigned_by: Mapped[str] = mapped_column(String(200))


class Vetting(IdMixin, TimestampMixin, Base):
    __tablename__ = "vettings"
    __table_args__ = (UniqueConstraint("demand_id", "expert_id"),)

    city: Mapped[str] = mapped_column(String(64), index=True)
    demand_id: Mapped[uuid.UUID] = mapped_column(index=True)
    expert_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("experts.id"))
    vetted_by: Mapped[str] = mapped_column(String(200))
    vetted_by_role: Mapped[str] = mapped_column(String(32))
    criteria: Mapped[dict[str, Any]] = mapped_column(JSONB)
    verdict: Mapped[str] = mapped_column(String(8))
    field_visit_note: Mapped[str | None] = mapped_column(Text)
