"""Every query on demands; city and visibility are filtered in SQL so lists never leak."""

from uuid import UUID

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from common.auth import Claims, Role
from common.pagination import PageParams, apply_keyset
from services.intake.access import Assignments
from services.intake.demands.models import Demand


def visibility(user: Claims, assignments: Assignments) -> ColumnElement[bool]:
    """Staff see the city; an owner its own demands; an expert those review assigned to it."""
    if user.role in (Role.bureau, Role.service):
        return true()
    if user.role == Role.demand_owner and user.org_id:
        return Demand.owner_org_id == user.org_id
    if user.role == Role.expert and assignments.demand_ids:
        return Demand.id.in_(assignments.demand_ids)
    return false()


async def get(
    session: AsyncSession,
    city: str,
    demand_id: UUID,
    visible: ColumnElement[bool],
    *,
    lock: bool = False,
) -> Demand | None:
    stmt = (
        select(Demand)
        .options(joinedload(Demand.round))
        .where(Demand.city == city, Demand.id == demand_id, visible)
    )
    if lock:
        stmt = stmt.with_for_update(of=Demand)
    return (await session.execute(stmt)).unique().scalar_one_or_none()


async def page(
    session: AsyncSession,
    city: str,
    visible: ColumnElement[bool],
    params: PageParams,
    *,
    round_id: UUID | None = None,
    status: str | None = None,
) -> list[Demand]:
    stmt = select(Demand).where(Demand.city == city, visible)
    if round_id is not None:
        stmt = stmt.where(Demand.round_id == round_id)
    if status is not None:
        stmt = stmt.where(Demand.status == status)
    return list((await session.execute(apply_keyset(stmt, Demand, params))).scalars())
