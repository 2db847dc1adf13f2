"""A stored file (材料): its bytes live in the object store under their sha256; this row says
what it is, who uploaded it, and which object it belongs to (which decides who may read it)."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Index, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.intake.db import Base

# The objects a document can belong to; the first two are intake's own, the rest review's.
INTAKE_OBJECTS = ("demand", "application")
REVIEW_OBJECTS = ("decision", "project_change", "acceptance", "meeting")


class Document(IdMixin, TimestampMixin, Base):
    """Never updated in content: a new version is a new row (``supersedes_id``), the old one
    kept. ``attached_*`` is set once; an unattached row expires at ``expires_at``."""

    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_attached", "attached_type", "attached_id"),
        Index(
            "ix_documents_unattached_expiry",
            "expires_at",
            postgresql_where=text("attached_id IS NULL"),
        ),
    )

    city: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    uploader_role: Mapped[str] = mapped_column(String(32))
    uploader_org_id: Mapped[uuid.UUID | None]
    supersedes_id: Mapped[uuid.UUID | None]
    attached_type: Mapped[str | None] = mapped_column(String(32))
    attached_id: Mapped[uuid.UUID | None]
    attached_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # For review's objects: the organisations that are parties of it, and whether auditors
    # read it (acceptance opinion, audit report); intake's own objects decide by their rows.
    readers: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
