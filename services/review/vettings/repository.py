"""Every query on vettings and vetting assignments."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_keyset, split_page
from services.review.vettings.models import Vetting, VettingAssignment


async def is_assigned(session: AsyncSession, city: str, demand_id: UUID, expert_id: UUID) -> bool:
    found = await session.scalar(
        select(VettingAssignment.id).where(
            VettingAssignment.city == city,
            VettingAssignment.demand_id == demand_id,
            VettingAssignment.expert_id == expert_id,
        )
    )
    return found is not None


async def assigned_expert_ids(session: AsyncSession, city: str, demand_id: UUID) -> set[UUID]:
    rows = await session.scalars(
        select(VettingAssignment.expert_id).where(
            VettingAssignment.city == city, VettingAssignment.demand_id == demand_id
        )
    )
    return set(rows)


async def page(
    session: AsyncSession,
    city: str,
    demand_id: UUID,
    params: PageParams,
    expert_id: UUID | None = None,
) -> tuple[list[Vetting], str | None]:
    statement = select(Vetting).where(Vetting.city == city, Vetting.demand_id == demand_id)
    if expert_id is not None:
        statement = statement.where(Vetting.expert_id == expert_id)
    rows = await session.scalars(apply_keyset(statement, Vetting, params))
    return split_page(list(rows), params)


async def exists(session: AsyncSession, city: str, demand_id: UUID, expert_id: UUID) -> bool:
    found = await session.scalar(
        select(Vetting.id).where(
            Vetting.city == city, Vetting.demand_id == demand_id, Vetting.expert_id == expert_id
        )
    )
    return found is not None
