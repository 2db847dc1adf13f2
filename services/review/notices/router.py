"""``/notices``: publicity notices (公示), public: no token needed, every city (``?city=``)."""

from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Response

from common import clock
from common.db import SessionDep
from common.deps import OptionalUser
from common.errors import NotFound, problem_responses
from common.pagination import PageParams, page_params, split_page
from common.schemas import Page
from services.review.notices import repository
from services.review.notices.models import Notice
from services.review.notices.schemas import NoticeItem, NoticeRead

router = APIRouter(prefix="/notices", tags=["notices"])
PUBLIC: dict[str, Any] = {"security": [{}, {"HTTPBearer": []}]}
CACHE = "public, max-age=60"


def _read(notice: Notice) -> NoticeRead:
    tz = ZoneInfo(notice.timezone)
    return NoticeRead(
        id=notice.id,
        city=notice.city,
        challenge_id=notice.challenge_id,
        kind="results",
        title=notice.title,
        subject=notice.subject,
        items=[NoticeItem.model_validate(i) for i in notice.items],
        opens_at=notice.opens_at.astimezone(tz),
        closes_at=notice.closes_at.astimezone(tz),
        timezone=notice.timezone,
        status="open" if clock.now() < notice.closes_at else "closed",
        how_to_object=notice.how_to_object,
        how_to_object_zh=notice.how_to_object_zh,
        clause=notice.clause,
    )


@router.get(
    "", response_model=Page[NoticeRead], responses=problem_responses(400), openapi_extra=PUBLIC
)
async def list_notices(
    user: OptionalUser,
    session: SessionDep,
    params: Annotated[PageParams, Depends(page_params)],
    response: Response,
    city: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")] = None,
    challenge_id: UUID | None = None,
) -> Page[NoticeRead]:
    """Every publicity notice, during and after its period, oldest first; no token needed.
    With a token, the caller's city only (like every signed-in read)."""
    city = user.city if user is not None else city
    rows = await repository.page(session, params, city=city, challenge_id=challenge_id)
    rows, cursor = split_page(rows, params)
    response.headers["Cache-Control"] = CACHE
    return Page(items=[_read(n) for n in rows], next_cursor=cursor)


@router.get(
    "/{notice_id}",
    response_model=NoticeRead,
    responses=problem_responses(404),
    openapi_extra=PUBLIC,
)
async def get_notice(
    notice_id: UUID, user: OptionalUser, session: SessionDep, response: Response
) -> NoticeRead:
    """One publicity notice: what is publicised, the period, how to object; no token needed
    (with a token, another city's notice is 404 as everywhere)."""
    notice = await repository.get(session, notice_id)
    if notice is None or (user is not None and user.city != notice.city):
        raise NotFound("Notice not found", code="notice.not_found")
    response.headers["Cache-Control"] = CACHE
    return _read(notice)
