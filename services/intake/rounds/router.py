"""/rounds: the bureau opens rounds; every role of the city reads them."""

from typing import Annotated

from fastapi import APIRouter, Depends

from common.db import SessionDep
from common.deps import BureauUser, CityRuleSet, CurrentUser
from common.errors import problem_responses
from common.pagination import PageParams, page_params, split_page
from common.schemas import Page
from services.intake.rounds import repository, service
from services.intake.rounds.dependencies import ValidRound
from services.intake.rounds.schemas import RoundCreate, RoundRead

router = APIRouter(prefix="/rounds", tags=["rounds"])
Paging = Annotated[PageParams, Depends(page_params)]


@router.post("", response_model=RoundRead, status_code=201, responses=problem_responses(403, 422))
async def open_round(
    data: RoundCreate, user: BureauUser, ruleset: CityRuleSet, session: SessionDep
) -> RoundRead:
    return RoundRead.model_validate(await service.create(session, user, ruleset, data))


@router.get("", response_model=Page[RoundRead], responses=problem_responses(400))
async def list_rounds(user: CurrentUser, session: SessionDep, params: Paging) -> Page[RoundRead]:
    rows, cursor = split_page(await repository.page(session, user.city, params), params)
    return Page(items=[RoundRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/{round_id}", response_model=RoundRead, responses=problem_responses(404))
async def get_round(round_: ValidRound) -> RoundRead:
    return RoundRead.model_validate(round_)
