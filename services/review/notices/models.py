"""A publicity notice (公示): what the bureau publicises to society, for how long, and how to
object (URC 二(五); HZ 三(五) 向社会公示). Made once when publicity opens; public reads need no
token. The content is a snapshot: names and totals as publicised, never recomputed later.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import DateTime, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.review.db import Base


class Notice(IdMixin, TimestampMixin, Base):
    __tablename__ = "notices"

    city: Mapped[str] = mapped_column(String(64), index=True)
    challenge_id: Mapped[UUID] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(32))  # "results": 评审结果公示
    title: Mapped[str] = mapped_column(String(400))
    subject: Mapped[str] = mapped_column(String(200))  # the challenge's title
    items: Mapped[list[Any]] = mapped_column(JSONB)  # what is publicised, as publicised
    opens_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    timezone: Mapped[str] = mapped_column(String(64))
    how_to_object: Mapped[str] = mapped_column(Text)
    how_to_object_zh: Mapped[str] = mapped_column(Text)
    clause: Mapped[str] = mapped_column(String(64))
