"""The bureau's steps between expert review and 立项, as records (HZ 三(四)4–5, 三(五)).

A ``Proposal`` (立项建议) is one winning application on its way: the divisions' joint review
(处室联审) records each check with its result, who and when; the director meeting
(局长办公会议, a ``DecisionMeeting``) then approves it (拟立项, ``proposed``) or not. The
project quota (立项控制数) is bureau data per year (``ProjectQuota``), not a rule number.
"""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.review.db import Base


class Proposal(IdMixin, TimestampMixin, Base):
    """status: ``joint_review_failed`` → (again) ``joint_review_passed`` → ``proposed``
    (拟立项) or ``rejected`` by the meeting."""

    __tablename__ = "proposals"

    city: Mapped[str] = mapped_column(String(64), index=True)
    challenge_id: Mapped[uuid.UUID] = mapped_column(index=True)
    application_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32))
    checks: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    exception_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str] = mapped_column(String(200))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    meeting_id: Mapped[uuid.UUID | None]
    meeting_reason: Mapped[str | None] = mapped_column(Text)


class DecisionMeeting(IdMixin, TimestampMixin, Base):
    """The director meeting's record: date, attendees, the proposals decided, the minutes
    (text, and the stored document's id once documents exist)."""

    __tablename__ = "decision_meetings"

    city: Mapped[str] = mapped_column(String(64), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    attendees: Mapped[list[Any]] = mapped_column(JSONB)
    minutes: Mapped[str] = mapped_column(Text)
    minutes_document_id: Mapped[uuid.UUID | None]
    decisions: Mapped[list[Any]] = mapped_column(JSONB)
    recorded_by: Mapped[str] = mapped_column(String(200))


class ProjectQuota(IdMixin, TimestampMixin, Base):
    """How many projects the bureau may establish in a year (立项控制数)."""

    __tablename__ = "project_quotas"
    __table_args__ = (UniqueConstraint("city", "year"),)

    city: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    projects: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[str] = mapped_column(String(200))
