"""``/disbursements``: the bureau pays due tranches; auditors read."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Response, status

from common.db import SessionDep
from common.deps import BureauUser, FinanceReader, IdempotencyKey, RegistryDep
from common.errors import NotFound, problem_responses
from common.pagination import PageParams, page_params
from common.schemas import Page
from services.finance.disbursements import repository as repo
from services.finance.disbursements import service
from services.finance.disbursements.dependencies import DisbursementFilterDep
from services.finance.disbursements.schemas import DisbursementCreate, DisbursementRead
from services.finance.idempotency.service import run_once
from services.finance.versions import plan_rules

router = APIRouter(prefix="/disbursements", tags=["disbursements"])


@router.post(
    "",
    response_model=DisbursementRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def disburse(
    body: DisbursementCreate,
    user: BureauUser,
    registry: RegistryDep,
    session: SessionDep,
    key: IdempotencyKey,
    response: Response,
) -> Any:
    """Pay a due tranche. At or above the rule set's threshold it waits for a second user."""
    ruleset = await plan_rules(session, registry, user.city, body.project_id)

    async def action() -> DisbursementRead:
        return DisbursementRead.model_validate(await service.disburse(session, user, ruleset, body))

    return await run_once(
        session,
        user=user,
        key=key,
        endpoint="POST /disbursements",
        payload=body.model_dump(mode="json"),
        response=response,
        status_code=status.HTTP_201_CREATED,
        action=action,
    )


@router.get("", response_model=Page[DisbursementRead], responses=problem_responses(400, 401, 403))
async def list_disbursements(
    session: SessionDep,
    filters: DisbursementFilterDep,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[DisbursementRead]:
    rows, cursor = await repo.page(session, filters, params)
    return Page(items=[DisbursementRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.get(
    "/{disbursement_id}",
    response_model=DisbursementRead,
    responses=problem_responses(401, 403, 404),
)
async def read_disbursement(
    disbursement_id: UUID, user: FinanceReader, session: SessionDep
) -> DisbursementRead:
    found = await repo.get(session, user.city, disbursement_id)
    if found is None:
        raise NotFound("No such disbursement", code="disbursement.not_found")
    return DisbursementRead.model_validate(found)


@router.post(
    "/{disbursement_id}/approve",
    response_model=DisbursementRead,
    responses=problem_responses(401, 403, 404, 409),
)
async def approve(
    disbursement_id: UUID, user: BureauUser, registry: RegistryDep, session: SessionDep
) -> DisbursementRead:
    """Four eyes: a different bureau user than the requester releases the payment."""
    found = await repo.get(session, user.city, disbursement_id)
    ruleset = (
        await plan_rules(session, registry, user.city, found.project_id)
        if found
        else registry.get(user.city)
    )
    return DisbursementRead.model_validate(
        await service.approve(session, user, ruleset, disbursement_id)
    )
