"""Editing a draft (demand or application): the one way fields change before submission."""

from typing import Any, Protocol
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from common.audit import record
from common.auth import Claims
from common.errors import Unprocessable
from services.intake.db import AuditLog

DRAFT = "draft"


class Draft(Protocol):
    id: UUID


async def apply_update(
    session: AsyncSession,
    user: Claims,
    entity: str,
    draft: Draft,
    changes: dict[str, Any],
    not_null: tuple[str, ...],
) -> None:
    """Refuse nulls for required fields, set the rest, and audit which fields changed."""
    for key in not_null:
        if key in changes and changes[key] is None:
            raise Unprocessable(f"{key} cannot be null", code=f"{entity}.null_field")
    for key, value in changes.items():
        setattr(draft, key, value)
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity=entity,
        entity_id=draft.id,
        action="update",
        from_state=DRAFT,
        to_state=DRAFT,
        data={"fields": sorted(changes)},
    )
