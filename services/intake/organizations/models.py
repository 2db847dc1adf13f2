"""An organisation (单位): demand owner, solver, consortium member."""

import uuid
from decimal import Decimal

from sqlalchemy import Boolean, Numeric, String, UniqueConstraint, Uuid, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from common.db import IdMixin, TimestampMixin
from services.intake.db import Base


class Organization(IdMixin, TimestampMixin, Base):
    """``affiliated_org_ids`` is kept symmetric: A naming B adds A to B's list as well, so the
    conflict checks (关联关系, URC 二(三)) look at one row only."""

    __tablename__ = "organizations"
    __table_args__ = (UniqueConstraint("city", "credit_code", name="uq_organizations_city_code"),)

    city: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18))
    kind: Mapped[str] = mapped_column(String(32))
    county: Mapped[str | None] = mapped_column(String(64))
    revenue_last_year: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    rd_spend_last_year: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    over_quota: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    affiliated_org_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(Uuid), default=list, server_default=text("'{}'")
    )
    created_by: Mapped[str] = mapped_column(String(200))
