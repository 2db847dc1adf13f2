"""``/ledger``: the append-only ledger for auditors and the bureau (read only)."""

from typing import Annotated

from fastapi import APIRouter, Depends

from common.db import SessionDep
from common.deps import FinanceReader
from common.errors import problem_responses
from common.pagination import PageParams, page_params
from common.schemas import Page
from services.finance.ledger import repository as repo
from services.finance.ledger import service
from services.finance.ledger.dependencies import LedgerFilter
from services.finance.ledger.schemas import BalanceRead, LedgerEntryRead, VerifyRead

router = APIRouter(prefix="/ledger", tags=["ledger"])
READ_PROBLEMS = problem_responses(400, 401, 403)


@router.get("/entries", response_model=Page[LedgerEntryRead], responses=READ_PROBLEMS)
async def list_entries(
    session: SessionDep,
    filters: LedgerFilter,
    params: Annotated[PageParams, Depends(page_params)],
) -> Page[LedgerEntryRead]:
    """Ledger lines in booking order, filtered by project, account and date range."""
    rows, cursor = await repo.list_entries(session, filters, params)
    return Page(items=[LedgerEntryRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/balances", response_model=Page[BalanceRead], responses=READ_PROBLEMS)
async def balances(session: SessionDep, filters: LedgerFilter) -> Page[BalanceRead]:
    """Per account: total debits, total credits and the balance, summed by the database.
    Every account of the filter in one page (``next_cursor`` is null): a list like the others."""
    rows = await repo.balances(session, filters)
    return Page(
        items=[
            BalanceRead(account=a, debits=d, credits=c, balance=b, entries=n)
            for a, d, c, b, n in rows
        ]
    )


@router.get("/verify", response_model=VerifyRead, responses=READ_PROBLEMS)
async def verify(session: SessionDep, user: FinanceReader) -> VerifyRead:
    """Recompute the city's hash chain and report the first broken link."""
    return await service.verify(session, user.city)
