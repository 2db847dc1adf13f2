"""Filters on disbursements, always inside the caller's city."""

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query
from pydantic import AwareDatetime

from common.deps import FinanceReader
from services.finance.disbursements.repository import DisbursementFilter
from services.finance.disbursements.schemas import DisbursementStatus


def disbursement_filter(
    user: FinanceReader,
    project_id: UUID | None = None,
    status: DisbursementStatus | None = None,
    since: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    until: Annotated[AwareDatetime | None, Query(alias="to")] = None,
) -> DisbursementFilter:
    return DisbursementFilter(
        city=user.city, project_id=project_id, status=status, since=since, until=until
    )


DisbursementFilterDep = Annotated[DisbursementFilter, Depends(disbursement_filter)]
