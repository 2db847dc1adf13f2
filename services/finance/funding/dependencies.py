"""Who may see which plan: staff and auditors of the city; the owner and solver their own."""

from typing import Annotated
from uuid import UUID

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Claims, Role
from common.db import SessionDep
from common.deps import CurrentUser, ServiceCaller
from common.errors import Forbidden, NotFound
from services.finance.funding import repository as repo
from services.finance.funding.models import FundingPlan

READERS = {Role.bureau, Role.auditor, Role.service, Role.provincial}


def _not_found(project_id: UUID) -> NotFound:
    return NotFound(f"No funding plan for project {project_id}", code="funding.not_found")


async def plan_in_city(
    session: AsyncSession, user: Claims, project_id: UUID, *, lock: bool = False
) -> FundingPlan:
    plan = await repo.get_plan(session, project_id, lock=lock)
    if plan is None or plan.city != user.city:
        raise _not_found(project_id)
    return plan


async def readable_plan(project_id: UUID, user: CurrentUser, session: SessionDep) -> FundingPlan:
    """Experts never; owner and solver only their own project (404, existence does not leak)."""
    if user.role not in READERS | {Role.demand_owner, Role.solver}:
        raise Forbidden(f"Role '{user.role}' may not read funding plans", code="auth.role")
    plan = await plan_in_city(session, user, project_id)
    own = {Role.demand_owner: plan.owner_org_id, Role.solver: plan.solver_org_id}
    if user.role in own and (user.org_id is None or own[user.role] != user.org_id):
        raise _not_found(project_id)
    return plan


async def service_plan(project_id: UUID, user: ServiceCaller, session: SessionDep) -> FundingPlan:
    return await plan_in_city(session, user, project_id, lock=True)


ReadablePlan = Annotated[FundingPlan, Depends(readable_plan)]
ServicePlan = Annotated[FundingPlan, Depends(service_plan)]
