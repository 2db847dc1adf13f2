"""Every query on objections."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.objections.models import Objection


async def get(session: AsyncSession, city: str, objection_id: UUID) -> Objection | None:
    return await session.scalar(
        select(Objection)
        .where(Objection.city == city, Objection.id == objection_id)
        .with_for_update()
    )
