"""Every query on the outbox."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.outbox.models import Delivery


async def for_project(
    session: AsyncSession, city: str, project_id: UUID, *, pending_only: bool = False
) -> list[Delivery]:
    statement = select(Delivery).where(Delivery.city == city, Delivery.project_id == project_id)
    if pending_only:
        statement = statement.where(Delivery.status == "pending").with_for_update(skip_locked=True)
    rows = await session.scalars(statement.order_by(Delivery.created_at))
    return list(rows)


async def claim_pending(session: AsyncSession, limit: int) -> list[Delivery]:
    """The oldest pending deliveries, locked; another replica's relay skips them."""
    statement = (
        select(Delivery)
        .where(Delivery.status == "pending")
        .order_by(Delivery.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(await session.scalars(statement))
