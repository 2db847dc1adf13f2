"""Chained checks that load a demand the caller may read or act on.

Not visible → 404 (existence does not leak across organisations or cities); visible but the
wrong state → 409.
"""

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request

from common.auth import Role
from common.db import SessionDep
from common.deps import CurrentUser, require_roles
from common.errors import Conflict, NotFound
from services.intake.access import Assignments, expert_assignments
from services.intake.demands import repository
from services.intake.demands.models import DRAFT, SUBMITTED, Demand

_readers = require_roles(Role.demand_owner, Role.bureau, Role.service, Role.expert)
Reader = Annotated[object, Depends(_readers)]


async def _load(
    request: Request, demand_id: UUID, user: CurrentUser, session: SessionDep, lock: bool
) -> Demand:
    assignments = (
        await expert_assignments(request, user) if user.role == Role.expert else Assignments()
    )
    visible = repository.visibility(user, assignments)
    demand = await repository.get(session, user.city, demand_id, visible, lock=lock)
    if demand is None:
        raise NotFound("Demand not found", code="demand.not_found")
    return demand


def _in_state(demand: Demand, state: str) -> Demand:
    if demand.status != state:
        raise Conflict(
            f"The demand is {demand.status}; this needs it {state}", code=f"demand.not_{state}"
        )
    return demand


async def readable_demand(
    request: Request, demand_id: UUID, user: CurrentUser, session: SessionDep, _: Reader
) -> Demand:
    return await _load(request, demand_id, user, session, lock=False)


async def editable_demand(
    request: Request,
    demand_id: UUID,
    session: SessionDep,
    user: Annotated[object, Depends(require_roles(Role.demand_owner))],
    caller: CurrentUser,
) -> Demand:
    return _in_state(await _load(request, demand_id, caller, session, lock=True), DRAFT)


async def submittable_demand(
    request: Request,
    demand_id: UUID,
    session: SessionDep,
    user: Annotated[object, Depends(require_roles(Role.demand_owner, Role.bureau))],
    caller: CurrentUser,
) -> Demand:
    """The owner submits; a bureau user may submit for it to lift a soft rule with a reason."""
    return _in_state(await _load(request, demand_id, caller, session, lock=True), DRAFT)


async def publishable_demand(
    request: Request,
    demand_id: UUID,
    session: SessionDep,
    user: Annotated[object, Depends(require_roles(Role.bureau))],
    caller: CurrentUser,
) -> Demand:
    return _in_state(await _load(request, demand_id, caller, session, lock=True), SUBMITTED)


ReadableDemand = Annotated[Demand, Depends(readable_demand)]
EditableDemand = Annotated[Demand, Depends(editable_demand)]
SubmittableDemand = Annotated[Demand, Depends(submittable_demand)]
PublishableDemand = Annotated[Demand, Depends(publishable_demand)]
