"""Every query on decisions."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.decisions.models import Decision


async def for_application(
    session: AsyncSession, city: str, application_id: UUID
) -> Decision | None:
    return await session.scalar(
        select(Decision).where(Decision.city == city, Decision.application_id == application_id)
    )
