"""The expert named in the path, visible to the bureau, the service and the expert themself."""

from typing import Annotated
from uuid import UUID

from fastapi import Depends

from common.auth import Role
from common.db import SessionDep
from common.deps import CurrentUser
from common.errors import NotFound
from services.review.experts import repository
from services.review.experts.models import Expert


async def visible_expert(expert_id: UUID, user: CurrentUser, session: SessionDep) -> Expert:
    expert = await repository.get(session, user.city, expert_id)
    own = user.role == Role.expert and user.sub == str(expert_id)
    if expert is None or not (user.is_staff or own):
        raise NotFound("No such expert", code="expert.not_found")
    return expert


VisibleExpert = Annotated[Expert, Depends(visible_expert)]
