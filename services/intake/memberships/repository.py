"""Every query on memberships; always filtered by city."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_keyset
from services.intake.memberships.models import Membership


async def get(session: AsyncSession, city: str, membership_id: UUID) -> Membership | None:
    stmt = select(Membership).where(Membership.city == city, Membership.id == membership_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def find(
    session: AsyncSession, city: str, subject: str, role: str, org_id: UUID
) -> Membership | None:
    stmt = select(Membership).where(
        Membership.city == city,
        Membership.subject == subject,
        Membership.role == role,
        Membership.org_id == org_id,
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def active_org_ids(session: AsyncSession, city: str, subject: str, role: str) -> set[UUID]:
    stmt = select(Membership.org_id).where(
        Membership.city == city,
        Membership.subject == subject,
        Membership.role == role,
        Membership.status == "active",
    )
    return set((await session.execute(stmt)).scalars())


async def page(
    session: AsyncSession,
    city: str,
    params: PageParams,
    *,
    subject: str | None = None,
    org_id: UUID | None = None,
) -> list[Membership]:
    stmt = select(Membership).where(Membership.city == city)
    if subject is not None:
        stmt = stmt.where(Membership.subject == subject)
    if org_id is not None:
        stmt = stmt.where(Membership.org_id == org_id)
    return list((await session.execute(apply_keyset(stmt, Membership, params))).scalars())
