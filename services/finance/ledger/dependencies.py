"""Filters auditors use on the ledger, always inside the caller's city."""

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query
from pydantic import AwareDatetime

from common.deps import FinanceReader
from services.finance.ledger.repository import EntryFilter


def entry_filter(
    user: FinanceReader,
    project_id: UUID | None = None,
    account: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    until: Annotated[AwareDatetime | None, Query(alias="to")] = None,
) -> EntryFilter:
    return EntryFilter(
        city=user.city, project_id=project_id, account=account, since=since, until=until
    )


LedgerFilter = Annotated[EntryFilter, Depends(entry_filter)]
