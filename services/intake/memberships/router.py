"""/memberships: the bureau says who acts for which organisation; services ask who does."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from common.db import SessionDep
from common.deps import BureauUser, ServiceCaller
from common.errors import NotFound, problem_responses
from common.pagination import PageParams, page_params, split_page
from common.schemas import Page
from services.intake.memberships import repository, service
from services.intake.memberships.schemas import (
    ActiveOrganizations,
    MemberRole,
    MembershipCreate,
    MembershipRead,
    MembershipUpdate,
)

router = APIRouter(prefix="/memberships", tags=["memberships"])
Paging = Annotated[PageParams, Depends(page_params)]


@router.post(
    "", response_model=MembershipRead, status_code=201, responses=problem_responses(403, 409, 422)
)
async def register_membership(
    data: MembershipCreate, user: BureauUser, session: SessionDep
) -> MembershipRead:
    """Register that a person (their subject at the identity provider) acts for an
    organisation of the city as demand owner or solver; audited with the person's name."""
    return MembershipRead.model_validate(await service.register(session, user, data))


@router.get("", response_model=Page[MembershipRead], responses=problem_responses(400, 403))
async def list_memberships(
    user: BureauUser,
    session: SessionDep,
    params: Paging,
    subject: Annotated[str | None, Query(max_length=200)] = None,
    org_id: UUID | None = None,
) -> Page[MembershipRead]:
    """The city's memberships, optionally of one person (`subject`) or one organisation."""
    rows = await repository.page(session, user.city, params, subject=subject, org_id=org_id)
    items, cursor = split_page(rows, params)
    return Page(items=[MembershipRead.model_validate(m) for m in items], next_cursor=cursor)


@router.get(
    "/active",
    response_model=ActiveOrganizations,
    responses=problem_responses(403),
    summary="The organisations a person actively acts for in a role (services only)",
)
async def active_organizations(
    user: ServiceCaller,
    session: SessionDep,
    subject: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    role: MemberRole | None = None,
) -> ActiveOrganizations:
    """No subject or role named: nobody, so no organisation."""
    if subject is None or role is None:
        return ActiveOrganizations(org_ids=[])
    found = await repository.active_org_ids(session, user.city, subject, role)
    return ActiveOrganizations(org_ids=sorted(found))


@router.patch(
    "/{membership_id}",
    response_model=MembershipRead,
    responses=problem_responses(403, 404, 409, 422),
)
async def update_membership(
    membership_id: UUID, data: MembershipUpdate, user: BureauUser, session: SessionDep
) -> MembershipRead:
    """Suspend (`status: suspended`, with a reason) or reactivate a membership; a suspension
    takes effect on the person's very next request."""
    membership = await repository.get(session, user.city, membership_id)
    if membership is None:
        raise NotFound("Membership not found", code="membership.not_found")
    return MembershipRead.model_validate(
        await service.change_status(session, user, membership, data)
    )
