"""Every query on the expert pool (and the assignments it implies)."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_keyset, split_page
from services.review.experts.models import Expert
from services.review.panels.models import PanelEntry, PanelMember
from services.review.vettings.models import VettingAssignment


async def get(session: AsyncSession, city: str, expert_id: UUID) -> Expert | None:
    return await session.scalar(select(Expert).where(Expert.city == city, Expert.id == expert_id))


async def get_many(session: AsyncSession, city: str, ids: Sequence[UUID]) -> list[Expert]:
    rows = await session.scalars(select(Expert).where(Expert.city == city, Expert.id.in_(ids)))
    return list(rows)


async def page(
    session: AsyncSession, city: str, params: PageParams
) -> tuple[list[Expert], str | None]:
    rows = await session.scalars(
        apply_keyset(select(Expert).where(Expert.city == city), Expert, params)
    )
    return split_page(list(rows), params)


async def assignments(
    session: AsyncSession, city: str, expert_id: UUID
) -> tuple[list[UUID], list[UUID]]:
    demands = await session.scalars(
        select(VettingAssignment.demand_id)
        .where(VettingAssignment.city == city, VettingAssignment.expert_id == expert_id)
        .order_by(VettingAssignment.demand_id)
    )
    apps = await session.scalars(
        select(PanelEntry.application_id)
        .join(PanelMember, PanelMember.panel_id == PanelEntry.panel_id)
        .where(PanelMember.expert_id == expert_id)
        .distinct()
        .order_by(PanelEntry.application_id)
    )
    return list(demands), list(apps)
