"""A round (批次): one call for demands with its collection and publication windows."""

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, String, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.intake.db import Base


class Round(IdMixin, TimestampMixin, Base):
    __tablename__ = "rounds"

    city: Mapped[str] = mapped_column(String(64), index=True)
    ruleset_version: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    fields_open: Mapped[list[str]] = mapped_column(ARRAY(String(64)))
    collection_opens_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    collection_closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    publication_opens_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    publication_closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    overrides: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
    created_by: Mapped[str] = mapped_column(String(200))
