"""``/budgets``: the city's annual subsidy budget (年度预算). A bureau user records an
appropriation or an amendment, a second one confirms it; bureau and auditors read the totals;
review checks a plan against it before approving (service only)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, status

from common.db import SessionDep
from common.deps import BureauUser, CityRuleSet, RegistryDep, ServiceCaller
from common.errors import problem_responses
from common.pagination import PageParams, page_params
from common.schemas import Page
from services.finance.budgets import repository as repo
from services.finance.budgets import service
from services.finance.budgets.dependencies import BudgetReader, YearQuery
from services.finance.budgets.schemas import (
    BudgetCheckCreate,
    BudgetCheckRead,
    BudgetEntryCreate,
    BudgetEntryRead,
    BudgetMovementRead,
    BudgetsRead,
)

router = APIRouter(prefix="/budgets", tags=["budgets"])


@router.post(
    "",
    response_model=BudgetEntryRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409, 422),
)
async def record_entry(
    body: BudgetEntryCreate, user: BureauUser, session: SessionDep
) -> BudgetEntryRead:
    """Record the year's appropriation, or an increase/decrease with its reason; it counts only
    once a second bureau user confirms it."""
    return BudgetEntryRead.model_validate(await service.record_entry(session, user, body))


@router.get("", response_model=BudgetsRead, responses=problem_responses(400, 401, 403))
async def read_budgets(
    user: BudgetReader, ruleset: CityRuleSet, session: SessionDep, year: YearQuery = None
) -> BudgetsRead:
    """Appropriated, committed, paid and available per year, with plans awaiting budget and
    entries awaiting confirmation."""
    return await service.read(session, user, ruleset, year)


@router.get(
    "/entries", response_model=Page[BudgetEntryRead], responses=problem_responses(400, 401, 403)
)
async def list_entries(
    user: BudgetReader,
    session: SessionDep,
    params: Annotated[PageParams, Depends(page_params)],
    year: YearQuery = None,
) -> Page[BudgetEntryRead]:
    """Every appropriation and amendment, confirmed, pending or rejected, oldest first."""
    rows, cursor = await repo.entries_page(session, user.city, year, params)
    return Page(items=[BudgetEntryRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.get(
    "/movements",
    response_model=Page[BudgetMovementRead],
    responses=problem_responses(400, 401, 403),
)
async def list_movements(
    user: BudgetReader,
    session: SessionDep,
    params: Annotated[PageParams, Depends(page_params)],
    year: YearQuery = None,
) -> Page[BudgetMovementRead]:
    """The budget journal (预算会计), oldest first: every commit, draw, release and return."""
    rows, cursor = await repo.movements_page(session, user.city, year, params)
    return Page(items=[BudgetMovementRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(
    "/entries/{entry_id}/confirm",
    response_model=BudgetEntryRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def confirm_entry(
    entry_id: UUID, user: BureauUser, ruleset: CityRuleSet, session: SessionDep
) -> BudgetEntryRead:
    """Four eyes: a bureau user other than the recorder confirms; the budget changes now."""
    return BudgetEntryRead.model_validate(await service.confirm(session, user, ruleset, entry_id))


@router.post(
    "/entries/{entry_id}/reject",
    response_model=BudgetEntryRead,
    responses=problem_responses(401, 403, 404, 409),
)
async def reject_entry(entry_id: UUID, user: BureauUser, session: SessionDep) -> BudgetEntryRead:
    """Set a pending entry aside (the recorder may withdraw it); it never counts."""
    return BudgetEntryRead.model_validate(await service.reject(session, user, entry_id))


@router.post("/checks", response_model=BudgetCheckRead, responses=problem_responses(401, 403, 422))
async def check_plan(
    body: BudgetCheckCreate, user: ServiceCaller, registry: RegistryDep, session: SessionDep
) -> BudgetCheckRead:
    """Review asks before approving: would the budget of the plan's year hold its cap now?
    422 ``budget.insufficient`` with the clause when not. Advisory: the commit when the plan
    is created is the guarantee. The cap is computed under the round's rule-set version."""
    same_city = body.city == user.city
    ruleset = (
        registry.version(user.city, body.ruleset_version) if same_city else registry.get(user.city)
    )
    return await service.check(session, user, ruleset, body)
