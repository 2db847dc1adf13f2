"""Every query on demands; city and visibility are filtered in SQL so lists never leak."""

from uuid import UUID

from sqlalchemy import ColumnElement, false, true
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Claims, Role
from common.pagination import PageParams
from services.intake.access import Assignments
from services.intake.demands.models import Demand
from services.intake.queries import get_visible, page_visible


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
    return await get_visible(
        session, Demand, city, demand_id, visible, parent=Demand.round, lock=lock
    )


async def page(
    session: AsyncSession,
    city: str,
    visible: ColumnElement[bool],
    params: PageParams,
    *,
    round_id: UUID | None = None,
    status: str | None = None,
) -> list[Demand]:
    return await page_visible(
        session, Demand, city, visible, params, round_id=round_id, status=status
    )
