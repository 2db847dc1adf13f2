"""The expert pool (专家库): who may vet and score, and which organisations they belong to."""

import uuid
from typing import Any

from sqlalchemy import String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.review.db import Base


class Expert(IdMixin, TimestampMixin, Base):
    __tablename__ = "experts"

    city: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    org_id: Mapped[uuid.UUID]
    fields: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    affiliated_org_ids: Mapped[list[Any]] = mapped_column(JSONB, default=list)
