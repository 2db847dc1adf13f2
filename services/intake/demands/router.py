"""/demands: owners draft and submit; the bureau publishes after a passed vetting."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Body, Depends, Request

from common.auth import Role
from common.db import SessionDep
from common.deps import CurrentUser, RegistryDep, require_roles
from common.errors import problem_responses
from common.pagination import PageParams, page_params, split_page
from common.schemas import Page
from services.intake.access import Assignments, expert_assignments, require_org
from services.intake.challenges.schemas import ChallengeRead
from services.intake.demands import repository, service
from services.intake.demands.dependencies import (
    EditableDemand,
    PublishableDemand,
    ReadableDemand,
    SubmittableDemand,
)
from services.intake.demands.schemas import DemandCreate, DemandRead, DemandSubmit, DemandUpdate
from services.intake.versions import round_rules

router = APIRouter(prefix="/demands", tags=["demands"])
Paging = Annotated[PageParams, Depends(page_params)]
Owner = Annotated[object, Depends(require_roles(Role.demand_owner))]
Reader = Annotated[
    object, Depends(require_roles(Role.demand_owner, Role.bureau, Role.service, Role.expert))
]
Status = Literal["draft", "submitted", "published"] | None
NO_OVERRIDE = DemandSubmit()


@router.post("", response_model=DemandRead, status_code=201, responses=problem_responses(403, 422))
async def create_demand(
    data: DemandCreate, _: Owner, user: CurrentUser, registry: RegistryDep, session: SessionDep
) -> DemandRead:
    require_org(user)
    ruleset = await round_rules(session, registry, user.city, data.round_id)
    return DemandRead.model_validate(await service.create(session, user, ruleset, data))


@router.get("", response_model=Page[DemandRead], responses=problem_responses(400, 403))
async def list_demands(
    request: Request,
    _: Reader,
    user: CurrentUser,
    session: SessionDep,
    params: Paging,
    round_id: UUID | None = None,
    status: Status = None,
) -> Page[DemandRead]:
    assignments = (
        await expert_assignments(request, user) if user.role == Role.expert else Assignments()
    )
    visible = repository.visibility(user, assignments)
    rows = await repository.page(
        session, user.city, visible, params, round_id=round_id, status=status
    )
    rows, cursor = split_page(rows, params)
    return Page(items=[DemandRead.model_validate(d) for d in rows], next_cursor=cursor)


@router.get("/{demand_id}", response_model=DemandRead, responses=problem_responses(403, 404))
async def get_demand(demand: ReadableDemand) -> DemandRead:
    return DemandRead.model_validate(demand)


@router.patch(
    "/{demand_id}", response_model=DemandRead, responses=problem_responses(403, 404, 409, 422)
)
async def update_demand(
    data: DemandUpdate,
    demand: EditableDemand,
    user: CurrentUser,
    registry: RegistryDep,
    session: SessionDep,
) -> DemandRead:
    ruleset = await round_rules(session, registry, user.city, demand.round_id)
    return DemandRead.model_validate(await service.update(session, user, ruleset, demand, data))


@router.post(
    "/{demand_id}/submit",
    response_model=DemandRead,
    responses=problem_responses(403, 404, 409, 422),
)
async def submit_demand(
    demand: SubmittableDemand,
    user: CurrentUser,
    registry: RegistryDep,
    session: SessionDep,
    data: Annotated[DemandSubmit, Body()] = NO_OVERRIDE,  # optional; one schema, not anyOf null
) -> DemandRead:
    ruleset = await round_rules(session, registry, user.city, demand.round_id)
    reason = data.override_reason
    return DemandRead.model_validate(await service.submit(session, user, ruleset, demand, reason))


@router.post(
    "/{demand_id}/publish",
    response_model=ChallengeRead,
    status_code=201,
    responses=problem_responses(403, 404, 409, 422, 502, 503),
)
async def publish_demand(
    request: Request,
    demand: PublishableDemand,
    user: CurrentUser,
    registry: RegistryDep,
    session: SessionDep,
) -> ChallengeRead:
    ruleset = await round_rules(session, registry, user.city, demand.round_id)
    challenge = await service.publish(session, user, ruleset, demand, request.app.state.services)
    return ChallengeRead.model_validate(challenge)
