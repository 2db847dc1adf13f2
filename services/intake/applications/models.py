"""An application (揭榜申请): a solver's answer to a challenge, led by one organisation."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Numeric, String, Text, Uuid, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import IdMixin, TimestampMixin
from services.intake.challenges.models import Challenge
from services.intake.db import Base

DRAFT, SUBMITTED, WITHDRAWN = "draft", "submitted", "withdrawn"


class Application(IdMixin, TimestampMixin, Base):
    """One live application per (challenge, lead organisation): the partial unique index makes
    a second one a conflict even when two requests race."""

    __tablename__ = "applications"
    __table_args__ = (
        Index(
            "uq_applications_active_lead",
            "challenge_id",
            "lead_org_id",
            unique=True,
            postgresql_where=text("status <> 'withdrawn'"),
        ),
    )

    city: Mapped[str] = mapped_column(String(64), index=True)
    challenge_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("challenges.id"), index=True)
    demand_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("demands.id"))
    owner_org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    lead_org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    member_org_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(Uuid), default=list, server_default=text("'{}'")
    )
    pi: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    plan: Mapped[str | None] = mapped_column(Text)
    total_budget: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    requested_subsidy: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    # None until the applicant declares it; HZ 三(三)3 needs the declaration at submit.
    other_municipal_application: Mapped[bool | None] = mapped_column(Boolean)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
    county: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=DRAFT, index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))

    challenge: Mapped[Challenge] = relationship(lazy="raise")
