"""A payment of one tranche (拨付). At most one per tranche, enforced by a unique constraint."""

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, DateTime, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.finance.db import Base


class Disbursement(IdMixin, TimestampMixin, Base):
    """pending_approval (four eyes) → paid, or paid at once below the threshold."""

    __tablename__ = "disbursements"

    city: Mapped[str] = mapped_column(String(64), index=True)
    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    plan_id: Mapped[uuid.UUID]
    tranche_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    tranche_seq: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    status: Mapped[str] = mapped_column(String(32))
    requested_by: Mapped[str] = mapped_column(String(200))
    approved_by: Mapped[str | None] = mapped_column(String(200))
    transaction_id: Mapped[uuid.UUID | None]
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("approved_by IS NULL OR approved_by <> requested_by", name="four_eyes"),
    )
