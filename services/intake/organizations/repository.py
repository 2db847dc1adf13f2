"""Every query on organisations; always filtered by city."""

from collections.abc import Collection
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_keyset
from services.intake.organizations.models import Organization


async def get(session: AsyncSession, city: str, org_id: UUID) -> Organization | None:
    stmt = select(Organization).where(Organization.city == city, Organization.id == org_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def get_many(
    session: AsyncSession, city: str, org_ids: Collection[UUID]
) -> dict[UUID, Organization]:
    if not org_ids:
        return {}
    stmt = select(Organization).where(Organization.city == city, Organization.id.in_(org_ids))
    return {o.id: o for o in (await session.execute(stmt)).scalars()}


async def by_credit_code(session: AsyncSession, city: str, code: str) -> Organization | None:
    stmt = select(Organization).where(Organization.city == city, Organization.credit_code == code)
    return (await session.execute(stmt)).scalar_one_or_none()


async def page(session: AsyncSession, city: str, params: PageParams) -> list[Organization]:
    stmt = apply_keyset(select(Organization).where(Organization.city == city), Organization, params)
    return list((await session.execute(stmt)).scalars())


async def link(session: AsyncSession, city: str, org_id: UUID, others: Collection[UUID]) -> None:
    """Add ``org_id`` to each of ``others``' affiliation lists (the symmetric half)."""
    if not others:
        return
    await session.execute(
        update(Organization)
        .where(
            Organization.city == city,
            Organization.id.in_(others),
            ~Organization.affiliated_org_ids.contains([org_id]),
        )
        .values(affiliated_org_ids=func.array_append(Organization.affiliated_org_ids, org_id))
    )


async def unlink(session: AsyncSession, city: str, org_id: UUID, others: Collection[UUID]) -> None:
    if not others:
        return
    await session.execute(
        update(Organization)
        .where(Organization.city == city, Organization.id.in_(others))
        .values(affiliated_org_ids=func.array_remove(Organization.affiliated_org_ids, org_id))
    )
