"""A challenge of the caller's city; another city's challenge is 404."""

from typing import Annotated
from uuid import UUID

from fastapi import Depends

from common.db import SessionDep
from common.deps import CurrentUser
from common.errors import NotFound
from services.intake.challenges import repository
from services.intake.challenges.models import Challenge


async def valid_challenge(challenge_id: UUID, user: CurrentUser, session: SessionDep) -> Challenge:
    challenge = await repository.get(session, user.city, challenge_id)
    if challenge is None:
        raise NotFound("Challenge not found", code="challenge.not_found")
    return challenge


ValidChallenge = Annotated[Challenge, Depends(valid_challenge)]
