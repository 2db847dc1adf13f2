"""``/funding``: plans created by review (service only) and read by everyone concerned."""

from fastapi import APIRouter, Response, status

from common.db import SessionDep
from common.deps import RegistryDep, ServiceCaller
from common.errors import problem_responses
from services.finance.funding import service
from services.finance.funding.dependencies import ReadablePlan, ServicePlan
from services.finance.funding.midterm import record_midterm
from services.finance.funding.schemas import (
    AcceptanceCreate,
    FundingPlanCreate,
    FundingRead,
    MidtermReport,
)

router = APIRouter(prefix="/funding", tags=["funding"])


@router.post(
    "",
    response_model=FundingRead,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": FundingRead, "description": "The plan existed already"},
        **problem_responses(401, 403, 409, 422),
    },
)
async def create_plan(
    body: FundingPlanCreate,
    user: ServiceCaller,
    registry: RegistryDep,
    session: SessionDep,
    response: Response,
) -> FundingRead:
    """Compute the plan of an approved project from the city's rule set (idempotent), in the
    version its round was opened with (``ruleset_version``, which must be loaded)."""
    same_city = body.city == user.city  # another city's plan is refused by the service
    ruleset = (
        registry.version(user.city, body.ruleset_version) if same_city else registry.get(user.city)
    )
    plan, created = await service.create_plan(session, user, ruleset, body)
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return await service.read(session, plan)


@router.get("/{project_id}", response_model=FundingRead, responses=problem_responses(401, 403, 404))
async def read_plan(plan: ReadablePlan, session: SessionDep) -> FundingRead:
    """Cap, tranches, paid, outstanding, and the formula in words with its clauses."""
    return await service.read(session, plan)


@router.post(
    "/{project_id}/acceptance",
    response_model=FundingRead,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": FundingRead, "description": "The same acceptance again"},
        **problem_responses(401, 403, 404, 409, 422),
    },
)
async def record_acceptance(
    body: AcceptanceCreate,
    plan: ServicePlan,
    user: ServiceCaller,
    session: SessionDep,
    response: Response,
) -> FundingRead:
    """Review reports the acceptance; the bureau then settles (``POST /settlements``)."""
    plan, created = await service.record_acceptance(session, user, plan, body)
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return await service.read(session, plan)


@router.post(
    "/{project_id}/midterm",
    response_model=FundingRead,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": FundingRead, "description": "Nothing new released"},
        **problem_responses(401, 403, 404, 409, 422),
    },
)
async def record_midterm_check(
    body: MidtermReport,
    plan: ServicePlan,
    user: ServiceCaller,
    session: SessionDep,
    response: Response,
) -> FundingRead:
    """Review reports the mid-term check; a passed one makes the mid-term tranches due."""
    plan, released = await record_midterm(session, user, plan, body)
    response.status_code = status.HTTP_201_CREATED if released else status.HTTP_200_OK
    return await service.read(session, plan)
