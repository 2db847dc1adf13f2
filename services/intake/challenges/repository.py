"""Every query on challenges; filtered by city, except the public list of every city."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_keyset
from services.intake.challenges.models import Challenge
from services.intake.organizations.models import Organization


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


def _published(city: str | None, at: datetime) -> Select[Challenge, str]:
    """Challenges whose publication has begun, with their owner's name (one query)."""
    stmt = (
        select(Challenge, Organization.name)
        .join(Organization, Organization.id == Challenge.owner_org_id)
        .where(Challenge.publication_opens_at <= at)
    )
    return stmt if city is None else stmt.where(Challenge.city == city)


async def public_page(
    session: AsyncSession, city: str | None, at: datetime, params: PageParams
) -> list[tuple[Challenge, str]]:
    stmt = apply_keyset(_published(city, at), Challenge, params)  # type: ignore[arg-type]
    return [(row[0], row[1]) for row in await session.execute(stmt)]


async def public_get(
    session: AsyncSession, challenge_id: UUID, at: datetime
) -> tuple[Challenge, str] | None:
    stmt = _published(None, at).where(Challenge.id == challenge_id)
    for challenge, name in await session.execute(stmt):
        return challenge, name
    return None
