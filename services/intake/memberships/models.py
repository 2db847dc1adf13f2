"""A membership: a person (the identity provider's subject) acts for an organisation in a role."""

import uuid

from sqlalchemy import Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.intake.db import Base


class Membership(IdMixin, TimestampMixin, Base):
    """``org_id`` is checked against the organisations when the bureau registers it (no foreign
    key: the organisation record stays the bureau's to correct)."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("city", "subject", "role", "org_id", name="uq_memberships_person_org"),
        Index("ix_memberships_lookup", "city", "subject", "role", "status"),
    )

    city: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200))
    person_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    org_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_by: Mapped[str] = mapped_column(String(200))
