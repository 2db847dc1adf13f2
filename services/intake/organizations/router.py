"""/organizations: the bureau registers; owners and solvers read their own."""

from typing import Annotated

from fastapi import APIRouter, Depends

from common.db import SessionDep
from common.deps import BureauUser, CityRuleSet, StaffUser
from common.errors import problem_responses
from common.pagination import PageParams, page_params, split_page
from common.schemas import Page
from services.intake.organizations import repository, service
from services.intake.organizations.dependencies import BureauOrganization, ReadableOrganization
from services.intake.organizations.schemas import (
    OrganizationCreate,
    OrganizationRead,
    OrganizationUpdate,
)

router = APIRouter(prefix="/organizations", tags=["organizations"])
Paging = Annotated[PageParams, Depends(page_params)]


@router.post(
    "",
    response_model=OrganizationRead,
    status_code=201,
    responses=problem_responses(403, 409, 422),
)
async def create_organization(
    data: OrganizationCreate, user: BureauUser, ruleset: CityRuleSet, session: SessionDep
) -> OrganizationRead:
    org = await service.create(session, user, ruleset, data)
    return OrganizationRead.model_validate(org)


@router.get("", response_model=Page[OrganizationRead], responses=problem_responses(400, 403))
async def list_organizations(
    user: StaffUser, session: SessionDep, params: Paging
) -> Page[OrganizationRead]:
    rows, cursor = split_page(await repository.page(session, user.city, params), params)
    return Page(items=[OrganizationRead.model_validate(o) for o in rows], next_cursor=cursor)


@router.get("/{org_id}", response_model=OrganizationRead, responses=problem_responses(403, 404))
async def get_organization(org: ReadableOrganization) -> OrganizationRead:
    return OrganizationRead.model_validate(org)


@router.patch(
    "/{org_id}", response_model=OrganizationRead, responses=problem_responses(403, 404, 422)
)
async def update_organization(
    data: OrganizationUpdate,
    org: BureauOrganization,
    user: BureauUser,
    ruleset: CityRuleSet,
    session: SessionDep,
) -> OrganizationRead:
    org = await service.update(session, user, ruleset, org, data)
    return OrganizationRead.model_validate(org)
