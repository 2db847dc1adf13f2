"""Every query on challenges; always filtered by city."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_keyset
from services.intake.challenges.models import Challenge


async def get(
    session: AsyncSession, city: str, challenge_id: UUID, *, lock: bool = False
) -> Challenge | None:
    stmt = select(Challenge).where(Challenge.city == city, Challenge.id == challenge_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def page(
    session: AsyncSession, city: str, params: PageParams, *, round_id: UUID | None = None
) -> list[Challenge]:
    stmt = select(Challenge).where(Challenge.city == city)
    if round_id is not None:
        stmt = stmt.where(Challenge.round_id == round_id)
    return list((await session.execute(apply_keyset(stmt, Challenge, params))).scalars())
