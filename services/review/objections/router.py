"""Objections (异议) to public results."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from common.auth import Claims, Role
from common.db import SessionDep
from common.deps import BureauUser, CurrentUser, require_roles
from common.errors import NotFound, problem_responses
from services.review.objections import repository, service
from services.review.objections.schemas import (
    ObjectionAnswer,
    ObjectionCreate,
    ObjectionRead,
    ObjectionResolve,
)
from services.review.results.service import review_of

router = APIRouter(tags=["objections"])
Publisher = Annotated[Claims, Depends(require_roles(Role.demand_owner))]
# Anyone taking part may object during publicity; the auditor (read-only, finance) may not.
Objector = Annotated[
    Claims,
    Depends(require_roles(*(r for r in Role if r != Role.auditor))),
]


@router.post(
    "/objections",
    response_model=ObjectionRead,
    status_code=201,
    responses=problem_responses(403, 404, 409),
)
async def file_objection(
    data: ObjectionCreate, user: Objector, session: SessionDep
) -> ObjectionRead:
    return ObjectionRead.model_validate(await service.file(session, user, data))


@router.get(
    "/objections/{objection_id}", response_model=ObjectionRead, responses=problem_responses(404)
)
async def get_objection(
    objection_id: UUID, user: CurrentUser, session: SessionDep
) -> ObjectionRead:
    objection = await repository.get(session, user.city, objection_id)
    if objection is not None:
        review = await review_of(session, user.city, objection.challenge_id)
        if service.may_read(user, objection, review.owner_org_id):
            return ObjectionRead.model_validate(objection)
    raise NotFound("No such objection", code="objection.not_found")


@router.post(
    "/objections/{objection_id}/answer",
    response_model=ObjectionRead,
    responses=problem_responses(404, 409),
)
async def answer_objection(
    objection_id: UUID, data: ObjectionAnswer, user: Publisher, session: SessionDep
) -> ObjectionRead:
    return ObjectionRead.model_validate(await service.answer(session, user, objection_id, data))


@router.post(
    "/objections/{objection_id}/resolve",
    response_model=ObjectionRead,
    responses=problem_responses(403, 404, 409),
)
async def resolve_objection(
    objection_id: UUID, data: ObjectionResolve, user: BureauUser, session: SessionDep
) -> ObjectionRead:
    return ObjectionRead.model_validate(await service.resolve(session, user, objection_id, data))
