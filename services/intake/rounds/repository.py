"""Every query on rounds; always filtered by city."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_keyset
from services.intake.rounds.models import Round


async def get(session: AsyncSession, city: str, round_id: UUID) -> Round | None:
    stmt = select(Round).where(Round.city == city, Round.id == round_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def page(session: AsyncSession, city: str, params: PageParams) -> list[Round]:
    stmt = apply_keyset(select(Round).where(Round.city == city), Round, params)
    return list((await session.execute(stmt)).scalars())
