"""Every query on notices. Public reads span all cities; ``city`` narrows them."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_keyset
from services.review.notices.models import Notice
from services.review.results.models import StoredResult


async def page(
    session: AsyncSession, params: PageParams, *, city: str | None, challenge_id: UUID | None
) -> list[Notice]:
    stmt = select(Notice)
    if city is not None:
        stmt = stmt.where(Notice.city == city)
    if challenge_id is not None:
        stmt = stmt.where(Notice.challenge_id == challenge_id)
    return list((await session.execute(apply_keyset(stmt, Notice, params))).scalars())


async def get(session: AsyncSession, notice_id: UUID) -> Notice | None:
    return await session.get(Notice, notice_id)


async def publicised_results(
    session: AsyncSession, city: str, challenge_id: UUID, limit: int = 50
) -> list[StoredResult]:
    """The qualified results (winners first in rank order), as the notice shows them."""
    stmt = (
        select(StoredResult)
        .where(
            StoredResult.city == city,
            StoredResult.challenge_id == challenge_id,
            StoredResult.qualified.is_(True),
        )
        .order_by(StoredResult.rank)
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())
