"""Expert pool (专家库): the bureau registers experts; services read an expert's assignments."""

from typing import Annotated

from fastapi import APIRouter, Depends

from common.auth import Role
from common.db import SessionDep
from common.deps import BureauUser, StaffUser, require_roles
from common.errors import problem_responses
from common.pagination import PageParams, page_params
from common.schemas import Page
from services.review.experts import repository, service
from services.review.experts.dependencies import VisibleExpert
from services.review.experts.schemas import AssignmentsRead, ExpertCreate, ExpertRead

router = APIRouter(tags=["experts"])
StaffOrSelf = Depends(require_roles(Role.bureau, Role.service, Role.expert))


@router.post(
    "/experts", response_model=ExpertRead, status_code=201, responses=problem_responses(403)
)
async def register_expert(data: ExpertCreate, user: BureauUser, session: SessionDep) -> ExpertRead:
    return ExpertRead.model_validate(await service.register(session, user, data))


@router.get("/experts", response_model=Page[ExpertRead], responses=problem_responses(400, 403))
async def list_experts(
    user: StaffUser,
    session: SessionDep,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[ExpertRead]:
    rows, cursor = await repository.page(session, user.city, params)
    return Page(items=[ExpertRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.get(
    "/experts/{expert_id}",
    response_model=ExpertRead,
    responses=problem_responses(403, 404),
    dependencies=[StaffOrSelf],
)
async def get_expert(expert: VisibleExpert) -> ExpertRead:
    return ExpertRead.model_validate(expert)


@router.get(
    "/experts/{expert_id}/assignments",
    response_model=AssignmentsRead,
    responses=problem_responses(403, 404),
    dependencies=[StaffOrSelf],
)
async def expert_assignments(expert: VisibleExpert, session: SessionDep) -> AssignmentsRead:
    demands, apps = await repository.assignments(session, expert.city, expert.id)
    return AssignmentsRead(demand_ids=demands, application_ids=apps)
