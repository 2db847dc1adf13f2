"""Results (评审结果), the owner's choice, horse race (赛马) and publicity (公示)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from common.auth import Claims, Role
from common.db import SessionDep
from common.deps import BureauUser, CityRuleSet, CurrentUser, require_roles
from common.errors import problem_responses
from services.review.results import service
from services.review.results.models import ChallengeReview
from services.review.results.schemas import ChoiceCreate, HorseRaceCreate, ResultsRead
from services.review.upstream import IntakeDep

router = APIRouter(tags=["results"])
Chooser = Annotated[Claims, Depends(require_roles(Role.bureau, Role.demand_owner))]


async def _answer(
    session: SessionDep, user: Claims, rules: CityRuleSet, review: ChallengeReview
) -> ResultsRead:
    rows, leads = await service.results(session, rules, review)
    shown = service.visible(user, review, rows, leads)
    return ResultsRead.model_validate(service.read(review, shown))


@router.get("/results", response_model=ResultsRead, responses=problem_responses(403, 404, 409))
async def get_results(
    challenge_id: Annotated[UUID, Query()],
    user: CurrentUser,
    rules: CityRuleSet,
    session: SessionDep,
) -> ResultsRead:
    review = await service.review_of(session, user.city, challenge_id)
    return await _answer(session, user, rules, review)


@router.post(
    "/results/{challenge_id}/choice",
    response_model=ResultsRead,
    responses=problem_responses(403, 404, 409, 422),
)
async def choose_winner(
    challenge_id: UUID,
    data: ChoiceCreate,
    user: Chooser,
    rules: CityRuleSet,
    session: SessionDep,
) -> ResultsRead:
    review = await service.choose(session, user, rules, challenge_id, data)
    return await _answer(session, user, rules, review)


@router.post(
    "/results/{challenge_id}/horse-race",
    response_model=ResultsRead,
    responses=problem_responses(403, 404, 409, 422),
)
async def start_horse_race(
    challenge_id: UUID,
    data: HorseRaceCreate,
    user: BureauUser,
    rules: CityRuleSet,
    session: SessionDep,
) -> ResultsRead:
    review = await service.horse_race(session, user, rules, challenge_id, data)
    return await _answer(session, user, rules, review)


@router.post(
    "/results/{challenge_id}/publicity",
    response_model=ResultsRead,
    responses=problem_responses(403, 404, 409, 503),
)
async def open_publicity(
    challenge_id: UUID,
    user: BureauUser,
    rules: CityRuleSet,
    intake: IntakeDep,
    session: SessionDep,
) -> ResultsRead:
    review = await service.open_publicity(session, user, rules, intake, challenge_id)
    return await _answer(session, user, rules, review)
