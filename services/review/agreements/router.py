"""Agreement-terms changes (协议条款变更) before the decision, four eyes."""

from uuid import UUID

from fastapi import APIRouter

from common.db import SessionDep
from common.deps import BureauUser, CityRuleSet, RegistryDep
from common.errors import problem_responses
from services.review.agreements import service
from services.review.agreements.schemas import TermsCreate, TermsDecision, TermsRead
from services.review.upstream import IntakeDep
from services.review.versions import challenge_rules

router = APIRouter(prefix="/decisions/agreement-terms", tags=["decisions"])


@router.post(
    "",
    response_model=TermsRead,
    status_code=201,
    responses=problem_responses(403, 404, 409, 422, 503),
)
async def propose_terms(
    data: TermsCreate,
    user: BureauUser,
    registry: RegistryDep,
    intake: IntakeDep,
    session: SessionDep,
) -> TermsRead:
    """The signed agreement's amounts where they differ from the submitted ones, with the
    reason; they apply only once a second bureau user approves them."""
    rules = await challenge_rules(session, registry, user.city, data.challenge_id)
    return TermsRead.model_validate(await service.propose(session, user, rules, intake, data))


@router.get("/{terms_id}", response_model=TermsRead, responses=problem_responses(403, 404))
async def read_terms(terms_id: UUID, user: BureauUser, session: SessionDep) -> TermsRead:
    return TermsRead.model_validate(await service.get(session, user, terms_id))


@router.post(
    "/{terms_id}/decision",
    response_model=TermsRead,
    responses=problem_responses(403, 404, 409, 422),
)
async def decide_terms(
    terms_id: UUID, data: TermsDecision, user: BureauUser, rules: CityRuleSet, session: SessionDep
) -> TermsRead:
    """A second, different bureau user approves or rejects the change."""
    return TermsRead.model_validate(await service.decide(session, user, rules, terms_id, data))
