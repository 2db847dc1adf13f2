"""Decisions (立项决定) by the bureau."""

from fastapi import APIRouter, Request

from common.db import SessionDep
from common.deps import BureauUser, RegistryDep
from common.documents import DocumentLink
from common.errors import problem_responses
from services.review.decisions import service
from services.review.decisions.schemas import DecisionCreate, DecisionRead
from services.review.upstream import IntakeDep
from services.review.versions import challenge_rules

router = APIRouter(tags=["decisions"])


@router.post(
    "/decisions",
    response_model=DecisionRead,
    status_code=201,
    responses=problem_responses(403, 404, 409, 422, 503),
)
async def decide(
    request: Request,
    data: DecisionCreate,
    user: BureauUser,
    registry: RegistryDep,
    intake: IntakeDep,
    session: SessionDep,
) -> DecisionRead:
    """Under the rule-set version the challenge's round was opened with."""
    rules = await challenge_rules(session, registry, user.city, data.challenge_id)
    # The files are checked with intake before decide() locks the challenge's review row.
    refs = await service.verified_documents(intake, user, rules, data)
    decision = await service.decide(
        session, user, rules, intake, request.app.state.services, data, refs
    )
    read = DecisionRead.model_validate(decision)
    read.documents = [DocumentLink(kind=r.kind, document_id=r.document_id) for r in refs]
    return read
