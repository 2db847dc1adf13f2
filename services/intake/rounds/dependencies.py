"""A round of the caller's city; another city's round is 404."""

from typing import Annotated
from uuid import UUID

from fastapi import Depends

from common.db import SessionDep
from common.deps import CurrentUser
from common.errors import NotFound
from services.intake.rounds import repository
from services.intake.rounds.models import Round


async def valid_round(round_id: UUID, user: CurrentUser, session: SessionDep) -> Round:
    round_ = await repository.get(session, user.city, round_id)
    if round_ is None:
        raise NotFound("Round not found", code="round.not_found")
    return round_


ValidRound = Annotated[Round, Depends(valid_round)]
