"""/challenges/{id}/applications and /applications: solvers answer challenges."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends

from common.db import SessionDep
from common.deps import CurrentUser, RegistryDep, StaffUser
from common.errors import problem_responses
from common.pagination import PageParams, page_params, split_page
from common.schemas import Page
from services.intake.applications import repository, service
from services.intake.applications.dependencies import (
    CallerAssignments,
    DraftApplication,
    LedApplication,
    ReadableApplication,
    Reader,
    Solver,
)
from services.intake.applications.schemas import (
    ApplicationCreate,
    ApplicationRead,
    ApplicationUpdate,
    EligibilityRead,
)
from services.intake.challenges.dependencies import ValidChallenge
from services.intake.versions import round_rules

router = APIRouter(tags=["applications"])
Paging = Annotated[PageParams, Depends(page_params)]
Status = Literal["draft", "submitted", "withdrawn"] | None


@router.post(
    "/challenges/{challenge_id}/applications",
    response_model=ApplicationRead,
    status_code=201,
    responses=problem_responses(403, 404, 409, 422),
)
async def create_application(
    data: ApplicationCreate,
    challenge: ValidChallenge,
    _: Solver,
    user: CurrentUser,
    registry: RegistryDep,
    session: SessionDep,
) -> ApplicationRead:
    ruleset = await round_rules(session, registry, user.city, challenge.round_id)
    application = await service.create(session, user, ruleset, challenge, data)
    return ApplicationRead.model_validate(application)


@router.get(
    "/applications", response_model=Page[ApplicationRead], responses=problem_responses(400, 403)
)
async def list_applications(
    _: Reader,
    user: CurrentUser,
    assignments: CallerAssignments,
    session: SessionDep,
    params: Paging,
    challenge_id: UUID | None = None,
    status: Status = None,
) -> Page[ApplicationRead]:
    visible = repository.visibility(user, assignments)
    rows = await repository.page(
        session, user.city, visible, params, challenge_id=challenge_id, status=status
    )
    rows, cursor = split_page(rows, params)
    return Page(items=[ApplicationRead.model_validate(a) for a in rows], next_cursor=cursor)


@router.get(
    "/applications/{application_id}",
    response_model=ApplicationRead,
    responses=problem_responses(403, 404),
)
async def get_application(application: ReadableApplication) -> ApplicationRead:
    return ApplicationRead.model_validate(application)


@router.patch(
    "/applications/{application_id}",
    response_model=ApplicationRead,
    responses=problem_responses(403, 404, 409, 422),
)
async def update_application(
    data: ApplicationUpdate,
    application: DraftApplication,
    user: CurrentUser,
    registry: RegistryDep,
    session: SessionDep,
) -> ApplicationRead:
    ruleset = await round_rules(session, registry, user.city, application.challenge.round_id)
    application = await service.update(session, user, ruleset, application, data)
    return ApplicationRead.model_validate(application)


@router.post(
    "/applications/{application_id}/submit",
    response_model=ApplicationRead,
    responses=problem_responses(403, 404, 409, 422),
)
async def submit_application(
    application: DraftApplication, user: CurrentUser, registry: RegistryDep, session: SessionDep
) -> ApplicationRead:
    ruleset = await round_rules(session, registry, user.city, application.challenge.round_id)
    application = await service.submit(session, user, ruleset, application)
    return ApplicationRead.model_validate(application)


@router.post(
    "/applications/{application_id}/withdraw",
    response_model=ApplicationRead,
    responses=problem_responses(403, 404, 409),
)
async def withdraw_application(
    application: LedApplication, user: CurrentUser, registry: RegistryDep, session: SessionDep
) -> ApplicationRead:
    ruleset = await round_rules(session, registry, user.city, application.challenge.round_id)
    application = await service.withdraw(session, user, ruleset, application)
    return ApplicationRead.model_validate(application)


@router.get(
    "/applications/{application_id}/eligibility",
    response_model=EligibilityRead,
    responses=problem_responses(403, 404),
)
async def get_eligibility(
    application: ReadableApplication, user: StaffUser, registry: RegistryDep, session: SessionDep
) -> EligibilityRead:
    """The conditions re-checked on the organisations' current records (bureau, services):
    the joint review (HZ 三(四)4) asks this before the decision meeting, under the round's
    rule-set version."""
    ruleset = await round_rules(session, registry, user.city, application.challenge.round_id)
    found = await service.eligibility(session, ruleset, application)
    return EligibilityRead(
        application_id=application.id, eligible=not found, violations=[v.item() for v in found]
    )
