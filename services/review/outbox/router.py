"""``/deliveries``: the bureau's view of what finance has not (yet) received, and the
reasoned retry of a dead letter."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends

from common.db import SessionDep
from common.deps import BureauUser
from common.errors import NotFound, problem_responses
from common.pagination import PageParams, page_params
from common.schemas import Page
from services.review.outbox import repository, service
from services.review.outbox.schemas import DeliveryRead, DeliveryRetry

router = APIRouter(prefix="/deliveries", tags=["deliveries"])


@router.get("", response_model=Page[DeliveryRead], responses=problem_responses(401, 403))
async def list_undelivered(
    user: BureauUser,
    session: SessionDep,
    params: Annotated[PageParams, Depends(page_params)],
    status: Literal["pending", "dead"] | None = None,
) -> Page[DeliveryRead]:
    """Calls to finance not delivered yet (``pending``, with attempts, the next attempt time
    and the last error) or given up (``dead``), oldest first."""
    rows, cursor = await repository.undelivered(session, user.city, status, params)
    return Page(items=[DeliveryRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(
    "/{delivery_id}/retry",
    response_model=DeliveryRead,
    responses=problem_responses(401, 403, 404, 409),
)
async def retry(
    delivery_id: UUID, data: DeliveryRetry, user: BureauUser, session: SessionDep
) -> DeliveryRead:
    """Send a dead (or waiting) delivery again, with a fresh attempt budget, once this request
    has committed; the reason is kept in the audit trail."""
    delivery = await repository.get(session, user.city, delivery_id)
    if delivery is None:
        raise NotFound("No such delivery", code="delivery.not_found")
    await service.retry(session, delivery, user, data.reason)
    await session.refresh(delivery)
    return DeliveryRead.model_validate(delivery)
