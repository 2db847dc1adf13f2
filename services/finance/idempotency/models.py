"""Stored first answers of money-moving POSTs, keyed by (city, Idempotency-Key, endpoint)."""

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin
from services.finance.db import Base


class IdempotencyRecord(IdMixin, Base):
    __tablename__ = "idempotency_records"

    city: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(128))
    endpoint: Mapped[str] = mapped_column(String(200))
    body_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[Any | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (UniqueConstraint("city", "key", "endpoint", name="uq_idempotency_key"),)
