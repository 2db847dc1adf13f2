"""/challenges: the published list (any token of the city) and review's results hand-off."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from common.db import ReadSessionDep, SessionDep
from common.deps import CurrentUser, ServiceCaller
from common.errors import NotFound, problem_responses
from common.pagination import PageParams, page_params, split_page
from common.schemas import Page
from services.intake.challenges import repository, service
from services.intake.challenges.dependencies import ValidChallenge
from services.intake.challenges.schemas import ChallengeRead

router = APIRouter(prefix="/challenges", tags=["challenges"])
Paging = Annotated[PageParams, Depends(page_params)]


@router.get("", response_model=Page[ChallengeRead], responses=problem_responses(400))
async def list_challenges(
    user: CurrentUser, session: ReadSessionDep, params: Paging, round_id: UUID | None = None
) -> Page[ChallengeRead]:
    rows = await repository.page(session, user.city, params, round_id=round_id)
    rows, cursor = split_page(rows, params)
    return Page(items=[ChallengeRead.model_validate(c) for c in rows], next_cursor=cursor)


@router.get("/{challenge_id}", response_model=ChallengeRead, responses=problem_responses(404))
async def get_challenge(challenge: ValidChallenge) -> ChallengeRead:
    return ChallengeRead.model_validate(challenge)


@router.post(
    "/{challenge_id}/results-public",
    response_model=ChallengeRead,
    responses=problem_responses(403, 404),
)
async def results_public(
    challenge_id: UUID, user: ServiceCaller, session: SessionDep
) -> ChallengeRead:
    challenge = await repository.get(session, user.city, challenge_id, lock=True)
    if challenge is None:
        raise NotFound("Challenge not found", code="challenge.not_found")
    return ChallengeRead.model_validate(await service.open_results(session, user, challenge))
