"""The append-only audit trail every service keeps in its own schema.

Who did what, when, from which state to which, and why (an override's written reason too).
The table refuses UPDATE and DELETE twice over: the run-time role lacks the privilege, and a
trigger refuses the statement for any role, owner included.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.auth import Claims
from common.context import request_id_var


class AuditMixin:
    """Columns of ``<schema>.audit_log``; each service maps it on its own Base."""

    __tablename__ = "audit_log"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False, index=True
    )
    actor: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(32))
    city: Mapped[str] = mapped_column(String(64), index=True)
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[uuid.UUID] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(64))
    from_state: Mapped[str | None] = mapped_column(String(64))
    to_state: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    request_id: Mapped[str | None] = mapped_column(String(128))


def record(
    session: AsyncSession,
    model: type[DeclarativeBase],
    user: Claims,
    *,
    entity: str,
    entity_id: uuid.UUID,
    action: str,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    session.add(
        model(
            actor=user.sub,
            actor_role=str(user.role),
            city=user.city,
            entity=entity,
            entity_id=entity_id,
            action=action,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            # The audit trail names the person, as the identity provider gives the name.
            data={**(data or {}), "actor_name": user.name} if user.name else data,
            request_id=request_id_var.get(),
        )
    )
