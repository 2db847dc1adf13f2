"""Projects (项目) created by an approval, their change requests and acceptance (验收)."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.review.db import Base


class Project(IdMixin, TimestampMixin, Base):
    __tablename__ = "projects"

    city: Mapped[str] = mapped_column(String(64), index=True)
    challenge_id: Mapped[uuid.UUID]
    demand_id: Mapped[uuid.UUID]
    round_id: Mapped[uuid.UUID]
    application_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    owner_org_id: Mapped[uuid.UUID] = mapped_column(index=True)
    solver_org_id: Mapped[uuid.UUID] = mapped_column(index=True)
    member_org_ids: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    pi: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    indicators: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    category: Mapped[str] = mapped_column(String(64))
    ruleset_version: Mapped[str] = mapped_column(String(64))
    bounty_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    equity_contribution_valuation: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    total_investment: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    requested_subsidy: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    over_quota: Mapped[bool] = mapped_column(Boolean, default=False)
    agreement_signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default="active")
    extension_months: Mapped[int] = mapped_column(Integer, default=0)
    acceptance: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    # URC 三(四): the owner's responsibility letter and project manager, before the start.
    owner_duties: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    midterm: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    contract: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class ProjectChange(IdMixin, TimestampMixin, Base):
    __tablename__ = "project_changes"

    city: Mapped[str] = mapped_column(String(64), index=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    reason: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decision_reason: Mapped[str | None] = mapped_column(Text)
