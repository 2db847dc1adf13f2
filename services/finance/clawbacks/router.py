"""``/clawbacks``: what solvers owe back, and the repayments recorded against it."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Response, status

from common.db import SessionDep
from common.deps import BureauUser, FinanceReader, IdempotencyKey
from common.errors import problem_responses
from common.pagination import PageParams, page_params
from common.schemas import Page
from services.finance.clawbacks import repository as repo
from services.finance.clawbacks import service
from services.finance.clawbacks.schemas import (
    ClawbackRead,
    ClawbackStatus,
    RepaymentCreate,
    RepaymentRead,
)
from services.finance.idempotency.service import run_once

router = APIRouter(prefix="/clawbacks", tags=["clawbacks"])


@router.get("", response_model=Page[ClawbackRead], responses=problem_responses(400, 401, 403))
async def list_clawbacks(
    user: FinanceReader,
    session: SessionDep,
    params: Annotated[PageParams, Depends(page_params)],
    project_id: UUID | None = None,
    status: ClawbackStatus | None = None,
) -> Page[ClawbackRead]:
    filters = repo.ClawbackFilter(city=user.city, project_id=project_id, status=status)
    rows, cursor = await repo.page(session, filters, params)
    return Page(items=[ClawbackRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(
    "/{clawback_id}/repayments",
    response_model=RepaymentRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def repay(
    clawback_id: UUID,
    body: RepaymentCreate,
    user: BureauUser,
    session: SessionDep,
    key: IdempotencyKey,
    response: Response,
) -> Any:
    """Record money the solver paid back; the claw-back is settled when nothing is left."""

    async def action() -> RepaymentRead:
        repayment, clawback = await service.repay(session, user, clawback_id, body)
        return RepaymentRead(
            id=repayment.id,
            clawback_id=clawback.id,
            amount=repayment.amount,
            actor=repayment.actor,
            note=repayment.note,
            transaction_id=repayment.transaction_id,
            created_at=repayment.created_at,
            clawback=ClawbackRead.model_validate(clawback),
        )

    return await run_once(
        session,
        user=user,
        key=key,
        endpoint="POST /clawbacks/{id}/repayments",
        payload={"clawback_id": str(clawback_id), **body.model_dump(mode="json")},
        response=response,
        status_code=status.HTTP_201_CREATED,
        action=action,
    )
