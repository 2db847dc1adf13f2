"""Results (评审结果), the owner's choice, horse race (赛马) and publicity (公示).

Results are stored when the challenge's last panel closes (``service.recompute``); reading is
a page of stored rows, ranked, answered pre-serialised (``common.responses``).
"""

import base64
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from common.auth import Claims, Role
from common.db import ReadSessionDep, SessionDep
from common.deps import BureauUser, CurrentUser, require_roles
from common.errors import BadRequest, NotFound, problem_responses
from common.pagination import PageParams, page_params
from common.responses import json_response
from services.review.results import repository, service
from services.review.results.models import ChallengeReview
from services.review.results.schemas import (
    ChoiceCreate,
    EvaluationOpinionCreate,
    HorseRaceCreate,
    ResultRead,
    ResultsRead,
)
from services.review.upstream import IntakeDep
from services.review.versions import ChallengeRuleSet

router = APIRouter(tags=["results"])
Chooser = Annotated[Claims, Depends(require_roles(Role.bureau, Role.demand_owner))]
Paging = Annotated[PageParams, Depends(page_params)]
FIRST_PAGE = PageParams(limit=50, cursor=None)


def _rank_cursor(rank: int) -> str:
    return base64.urlsafe_b64encode(f"rank:{rank}".encode()).decode().rstrip("=")


def _after_rank(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, rank = raw.split(":")
        if kind == "rank" and rank.isdigit():
            return int(rank)
    except (ValueError, UnicodeDecodeError):
        pass
    raise BadRequest("Invalid cursor", code="request.cursor")


def _item(row: Any) -> dict[str, Any]:
    return {
        "application_id": row.application_id,
        "stage_scores": row.stage_scores,
        "total": row.total,
        "band": row.band,
        "qualified": row.qualified,
        "rank": row.rank,
        "winner": row.winner,
        "explanation": row.explanation,
    }


async def _page(
    session: SessionDep, user: Claims, review: ChallengeReview, page: PageParams
) -> Response:
    service.ready(review)
    org = service.reader_org(user, review)
    rows = await repository.results_page(
        session,
        review.city,
        review.challenge_id,
        after_rank=_after_rank(page.cursor),
        limit=page.limit + 1,
        lead_org_id=org,
    )
    if org is not None and not rows and not page.cursor:
        raise NotFound("No results of yours for this challenge", code="results.not_found")
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    return json_response(
        {
            "challenge_id": review.challenge_id,
            "status": review.status,
            "publicity_opens_at": review.publicity_opens_at,
            "publicity_closes_at": review.publicity_closes_at,
            "chosen_application_ids": review.chosen_application_ids,
            "horse_race": review.horse_race,
            "override_reason": review.override_reason,
            "items": [_item(r) for r in rows],
            "next_cursor": _rank_cursor(rows[-1].rank) if more else None,
            "evaluation_opinions": review.evaluation_opinions if org is None else [],
        }
    )


@router.get("/results", response_model=ResultsRead, responses=problem_responses(403, 404, 409))
async def get_results(
    challenge_id: Annotated[UUID, Query()],
    user: CurrentUser,
    session: ReadSessionDep,
    page: Paging,
) -> Response:
    """Ranked results, a page at a time (``limit`` ≤ 200, ``cursor`` = ``next_cursor``)."""
    review = await service.review_of(session, user.city, challenge_id)
    return await _page(session, user, review, page)


@router.get(
    "/results/{challenge_id}/applications/{application_id}",
    response_model=ResultRead,
    responses=problem_responses(403, 404, 409),
)
async def get_result(
    challenge_id: UUID, application_id: UUID, user: CurrentUser, session: ReadSessionDep
) -> Response:
    """One application's result with its full explanation (rules, clauses, numbers)."""
    review = await service.review_of(session, user.city, challenge_id)
    service.ready(review)
    org = service.reader_org(user, review)
    row = await repository.result_of(session, review.city, challenge_id, application_id)
    if row is None or (org is not None and row.lead_org_id != org):
        raise NotFound("No result for this application", code="results.not_found")
    return json_response(_item(row))


@router.post(
    "/results/{challenge_id}/choice",
    response_model=ResultsRead,
    responses=problem_responses(403, 404, 409, 422),
)
async def choose_winner(
    challenge_id: UUID,
    data: ChoiceCreate,
    user: Chooser,
    rules: ChallengeRuleSet,
    intake: IntakeDep,
    session: SessionDep,
) -> Response:
    review = await service.choose(session, user, rules, intake, challenge_id, data)
    return await _page(session, user, review, FIRST_PAGE)


@router.post(
    "/results/{challenge_id}/horse-race",
    response_model=ResultsRead,
    responses=problem_responses(403, 404, 409, 422),
)
async def start_horse_race(
    challenge_id: UUID,
    data: HorseRaceCreate,
    user: BureauUser,
    rules: ChallengeRuleSet,
    intake: IntakeDep,
    session: SessionDep,
) -> Response:
    review = await service.horse_race(session, user, rules, intake, challenge_id, data)
    return await _page(session, user, review, FIRST_PAGE)


@router.post(
    "/results/{challenge_id}/publicity",
    response_model=ResultsRead,
    responses=problem_responses(403, 404, 409, 503),
)
async def open_publicity(
    challenge_id: UUID,
    user: BureauUser,
    rules: ChallengeRuleSet,
    intake: IntakeDep,
    session: SessionDep,
) -> Response:
    review = await service.open_publicity(session, user, rules, intake, challenge_id)
    return await _page(session, user, review, FIRST_PAGE)


@router.post(
    "/results/{challenge_id}/evaluation-opinions",
    response_model=ResultsRead,
    responses=problem_responses(403, 404, 409),
)
async def give_evaluation_opinion(
    challenge_id: UUID,
    data: EvaluationOpinionCreate,
    user: BureauUser,
    rules: ChallengeRuleSet,
    session: SessionDep,
) -> Response:
    """The bureau's evaluation opinion on a solver, for the owner choosing its partner
    (URC 二(三)); shown to the bureau and the owner, never to the solvers."""
    review = await service.give_opinion(session, user, rules, challenge_id, data)
    return await _page(session, user, review, FIRST_PAGE)
