"""``/settlements``: after acceptance, recompute, pay the rest or open a claw-back."""

from typing import Any

from fastapi import APIRouter, Response, status

from common.db import SessionDep
from common.deps import BureauUser, IdempotencyKey, RegistryDep
from common.errors import problem_responses
from services.finance.idempotency.service import run_once
from services.finance.settlements import service
from services.finance.settlements.schemas import SettlementCreate, SettlementRead
from services.finance.versions import plan_rules

router = APIRouter(prefix="/settlements", tags=["settlements"])


@router.post(
    "",
    response_model=SettlementRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def settle(
    body: SettlementCreate,
    user: BureauUser,
    registry: RegistryDep,
    session: SessionDep,
    key: IdempotencyKey,
    response: Response,
) -> Any:
    """Recompute the subsidy from the audited figures and the outcome (HZ 三(六), 三(八)),
    under the rule-set version the project's round was opened with."""
    ruleset = await plan_rules(session, registry, user.city, body.project_id)

    async def action() -> SettlementRead:
        return await service.settle_project(session, user, ruleset, body)

    return await run_once(
        session,
        user=user,
        key=key,
        endpoint="POST /settlements",
        payload=body.model_dump(mode="json"),
        response=response,
        status_code=status.HTTP_201_CREATED,
        action=action,
    )
