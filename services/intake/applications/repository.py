"""Every query on applications; city and visibility are filtered in SQL so lists never leak."""

from uuid import UUID

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Claims, Role
from common.pagination import PageParams
from services.intake.access import Assignments
from services.intake.applications.models import WITHDRAWN, Application
from services.intake.challenges.models import Challenge
from services.intake.queries import get_visible, page_visible


def visibility(user: Claims, assignments: Assignments) -> ColumnElement[bool]:
    """Staff: the city. Solver: applications its organisation leads or is a member of. Owner:
    applications to its challenges once review made the results public. Expert: assigned ones."""
    if user.role in (Role.bureau, Role.service):
        return true()
    if user.role == Role.solver and user.org_id:
        return or_(
            Application.lead_org_id == user.org_id,
            Application.member_org_ids.contains([user.org_id]),
        )
    if user.role == Role.demand_owner and user.org_id:
        return and_(
            Application.owner_org_id == user.org_id,
            exists().where(Challenge.id == Application.challenge_id, Challenge.results_public),
        )
    if user.role == Role.expert and assignments.application_ids:
        return Application.id.in_(assignments.application_ids)
    return false()


async def get(
    session: AsyncSession,
    city: str,
    application_id: UUID,
    visible: ColumnElement[bool],
    *,
    lock: bool = False,
) -> Application | None:
    return await get_visible(
        session, Application, city, application_id, visible, parent=Application.challenge, lock=lock
    )


async def page(
    session: AsyncSession,
    city: str,
    visible: ColumnElement[bool],
    params: PageParams,
    *,
    challenge_id: UUID | None = None,
    status: str | None = None,
) -> list[Application]:
    return await page_visible(
        session, Application, city, visible, params, challenge_id=challenge_id, status=status
    )


async def active_for_lead(
    session: AsyncSession, city: str, challenge_id: UUID, lead_org_id: UUID
) -> Application | None:
    stmt = select(Application).where(
        Application.city == city,
        Application.challenge_id == challenge_id,
        Application.lead_org_id == lead_org_id,
        Application.status != WITHDRAWN,
    )
    return (await session.execute(stmt)).scalars().first()


async def names_member(session: AsyncSession, city: str, lead_org_id: UUID, org_id: UUID) -> bool:
    """Whether ``lead_org_id`` names ``org_id`` as a member in one of its applications."""
    stmt = select(
        exists().where(
            Application.city == city,
            Application.lead_org_id == lead_org_id,
            Application.member_org_ids.contains([org_id]),
        )
    )
    return bool((await session.execute(stmt)).scalar())
