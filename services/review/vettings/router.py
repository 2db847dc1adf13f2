"""Demand vetting (遴选): the bureau assigns experts; assigned experts (or the bureau) file."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from common.auth import Claims, Role
from common.db import SessionDep
from common.deps import BureauUser, CityRuleSet, require_roles
from common.errors import NotFound, problem_responses
from common.pagination import PageParams, page_params
from common.schemas import Page
from services.review.upstream import IntakeDep
from services.review.vettings import repository, service
from services.review.vettings.schemas import (
    AssignmentCreate,
    AssignmentRead,
    VettingCreate,
    VettingRead,
)

router = APIRouter(tags=["vettings"])
Vetter = Annotated[Claims, Depends(require_roles(Role.bureau, Role.expert))]
Reader = Annotated[
    Claims, Depends(require_roles(Role.bureau, Role.service, Role.expert, Role.demand_owner))
]


@router.post(
    "/vettings/assignments",
    response_model=Page[AssignmentRead],
    status_code=201,
    responses=problem_responses(403, 404, 422, 503),
)
async def assign_vetting_experts(
    data: AssignmentCreate,
    user: BureauUser,
    rules: CityRuleSet,
    intake: IntakeDep,
    session: SessionDep,
) -> Page[AssignmentRead]:
    """The assignments made, as a list like every other (``next_cursor`` is null)."""
    rows = await service.assign(session, user, rules, intake, data)
    return Page(items=[AssignmentRead.model_validate(r) for r in rows])


@router.post(
    "/vettings",
    response_model=VettingRead,
    status_code=201,
    responses=problem_responses(403, 409, 422),
)
async def file_vetting(
    data: VettingCreate, user: Vetter, rules: CityRuleSet, session: SessionDep
) -> VettingRead:
    return VettingRead.model_validate(await service.file(session, user, rules, data))


@router.get(
    "/vettings", response_model=Page[VettingRead], responses=problem_responses(400, 403, 404)
)
async def list_vettings(
    demand_id: Annotated[UUID, Query()],
    user: Reader,
    intake: IntakeDep,
    session: SessionDep,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[VettingRead]:
    """Bureau and services see all; the demand's owner sees them; an expert sees their own."""
    only: UUID | None = None
    if user.role == Role.demand_owner:
        demand = await intake.demand(demand_id)
        if str(demand.get("owner_org_id")) != str(user.org_id):
            raise NotFound("No such demand", code="demand.not_found")
    elif user.role == Role.expert:
        only = service.expert_id_of(user)
    rows, cursor = await repository.page(session, user.city, demand_id, params, only)
    return Page(items=[VettingRead.model_validate(r) for r in rows], next_cursor=cursor)
