"""/challenges: the published list (public; more with a token) and review's results hand-off."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from common import clock
from common.db import SessionDep
from common.deps import OptionalUser, ServiceCaller
from common.errors import NotFound, problem_responses
from common.pagination import PageParams, page_params, split_page
from common.schemas import Page
from services.intake.challenges import repository, service
from services.intake.challenges.models import Challenge
from services.intake.challenges.schemas import ChallengeRead, PublicChallengeRead

router = APIRouter(prefix="/challenges", tags=["challenges"])
Paging = Annotated[PageParams, Depends(page_params)]


PUBLIC_CACHE = "public, max-age=60"
Listed = Page[ChallengeRead] | Page[PublicChallengeRead]


@router.get(
    "",
    response_model=Listed,
    responses=problem_responses(400),
    openapi_extra={"security": [{}, {"HTTPBearer": []}]},
)
async def list_challenges(
    user: OptionalUser,
    session: SessionDep,
    params: Paging,
    response: Response,
    round_id: UUID | None = None,
    city: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")] = None,
) -> Listed:
    """No token: the published list of every city (``?city=`` for one), only what is
    published, cacheable by anyone. With a token: the caller's city, as its role may see."""
    if user is None:
        rows = await repository.public_page(session, city, clock.now(), params)
        page, cursor = split_page([c for c, _ in rows], params)
        names = dict((c.id, n) for c, n in rows)
        response.headers["Cache-Control"] = PUBLIC_CACHE
        return Page(items=[_public(c, names[c.id]) for c in page], next_cursor=cursor)
    found = await repository.page(session, user.city, params, round_id=round_id)
    found, cursor = split_page(found, params)
    return Page(items=[ChallengeRead.model_validate(c) for c in found], next_cursor=cursor)


@router.get(
    "/{challenge_id}",
    response_model=ChallengeRead | PublicChallengeRead,
    responses=problem_responses(404),
    openapi_extra={"security": [{}, {"HTTPBearer": []}]},
)
async def get_challenge(
    challenge_id: UUID, user: OptionalUser, session: SessionDep, response: Response
) -> ChallengeRead | PublicChallengeRead:
    """No token: one published challenge of any city, only what is published. With a token:
    a challenge of the caller's city (another city's is 404)."""
    if user is None:
        found = await repository.public_get(session, challenge_id, clock.now())
        if found is None:
            raise NotFound("Challenge not found", code="challenge.not_found")
        response.headers["Cache-Control"] = PUBLIC_CACHE
        return _public(*found)
    challenge = await repository.get(session, user.city, challenge_id)
    if challenge is None:
        raise NotFound("Challenge not found", code="challenge.not_found")
    return ChallengeRead.model_validate(challenge)


def _public(challenge: Challenge, owner_name: str) -> PublicChallengeRead:
    fields = {
        k: getattr(challenge, k) for k in PublicChallengeRead.model_fields if k != "owner_name"
    }
    return PublicChallengeRead(owner_name=owner_name, **fields)


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
