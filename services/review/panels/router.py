"""Expert panels (评审专家组): form, read, score, close."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from common.auth import Claims, Role
from common.db import SessionDep
from common.deps import BureauUser, RegistryDep, require_roles
from common.errors import NotFound, problem_responses
from services.review.panels import repository, service
from services.review.panels.models import Panel
from services.review.panels.schemas import EntryRead, PanelCreate, PanelRead, ScoreRead, ScoreWrite
from services.review.upstream import IntakeDep

router = APIRouter(tags=["panels"])
Reader = Annotated[Claims, Depends(require_roles(Role.bureau, Role.service, Role.expert))]
ExpertUser = Annotated[Claims, Depends(require_roles(Role.expert))]


async def _view(
    session: SessionDep, user: Claims, panel: Panel, *, with_scores: bool = True
) -> PanelRead:
    """Score secrecy: an expert sees only their own scores and no stage scores. The answer to
    closing leaves the individual scores out (``GET /panels/{id}`` has them): for a panel of
    10⁴ applications they are 5 × 10⁴ rows the closing bureau user did not ask for."""
    own = None if user.is_staff else UUID(user.sub)
    scores = await repository.scores(session, panel.id, own) if with_scores else []
    entries = [
        EntryRead.model_validate(e)
        if user.is_staff
        else EntryRead(application_id=e.application_id, challenge_id=e.challenge_id)
        for e in panel.entries
    ]
    return PanelRead(
        id=panel.id,
        city=panel.city,
        round_id=panel.round_id,
        stage=panel.stage,
        status=panel.status,
        ruleset_version=panel.ruleset_version,
        challenge_ids=[c.challenge_id for c in panel.challenges],
        expert_ids=[m.expert_id for m in panel.members],
        entries=entries,
        scores=[ScoreRead.model_validate(s) for s in scores],
        closed_at=panel.closed_at,
        created_at=panel.created_at,
    )


@router.post(
    "/panels",
    response_model=PanelRead,
    status_code=201,
    responses=problem_responses(403, 404, 409, 422, 503),
)
async def form_panel(
    data: PanelCreate,
    user: BureauUser,
    registry: RegistryDep,
    intake: IntakeDep,
    session: SessionDep,
) -> PanelRead:
    """Under the rule-set version the round was opened with (the panel carries it)."""
    round_ = await intake.round(data.round_id)
    rules = registry.version(user.city, str(round_["ruleset_version"]))
    panel = await service.form(session, user, rules, intake, data)
    loaded = await repository.get(session, user.city, panel.id)
    assert loaded is not None
    return await _view(session, user, loaded)


@router.get("/panels/{panel_id}", response_model=PanelRead, responses=problem_responses(403, 404))
async def get_panel(panel_id: UUID, user: Reader, session: SessionDep) -> PanelRead:
    panel = await repository.get(session, user.city, panel_id)
    member = panel is not None and any(str(m.expert_id) == user.sub for m in panel.members)
    if panel is None or not (user.is_staff or member):
        raise NotFound("No such panel", code="panel.not_found")
    return await _view(session, user, panel)


@router.put(
    "/panels/{panel_id}/scores/{application_id}",
    status_code=204,
    responses=problem_responses(403, 404, 409),
)
async def put_score(
    panel_id: UUID,
    application_id: UUID,
    data: ScoreWrite,
    user: ExpertUser,
    session: SessionDep,
) -> Response:
    await service.score(session, user, panel_id, application_id, data)
    return Response(status_code=204)


@router.post(
    "/panels/{panel_id}/close", response_model=PanelRead, responses=problem_responses(403, 404, 409)
)
async def close_panel(
    panel_id: UUID, user: BureauUser, registry: RegistryDep, session: SessionDep
) -> PanelRead:
    """Scores are aggregated under the version the panel was formed with."""
    version = await repository.panel_version(session, user.city, panel_id)
    rules = registry.version(user.city, version) if version else registry.get(user.city)
    panel = await service.close(session, user, rules, panel_id)
    return await _view(session, user, panel, with_scores=False)
