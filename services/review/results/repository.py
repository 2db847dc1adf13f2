"""Every query on a challenge's review state."""

from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.objections.models import OPEN_STATES, Objection
from services.review.results.models import ChallengeReview


async def get(
    session: AsyncSession, city: str, challenge_id: UUID, *, lock: bool = False
) -> ChallengeReview | None:
    statement = select(ChallengeReview).where(
        ChallengeReview.city == city, ChallengeReview.challenge_id == challenge_id
    )
    if lock:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def existing_ids(session: AsyncSession, city: str, ids: list[UUID]) -> set[UUID]:
    rows = await session.scalars(
        select(ChallengeReview.challenge_id).where(
            ChallengeReview.city == city, ChallengeReview.challenge_id.in_(ids)
        )
    )
    return set(rows)


async def open_objections(session: AsyncSession, city: str, challenge_id: UUID) -> int:
    count = await session.scalar(
        select(func.count()).where(
            Objection.city == city,
            Objection.challenge_id == challenge_id,
            Objection.status.in_(OPEN_STATES),
        )
    )
    return int(count or 0)
