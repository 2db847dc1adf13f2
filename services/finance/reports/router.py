"""``/reports``: exports for auditors and the bureau."""

from typing import Literal

from fastapi import APIRouter, Response

from common.db import SessionDep
from common.errors import problem_responses
from services.finance.disbursements import repository as repo
from services.finance.disbursements.dependencies import DisbursementFilterDep
from services.finance.disbursements.schemas import DisbursementRead
from services.finance.reports.service import disbursements_csv

router = APIRouter(prefix="/reports", tags=["reports"])
MAX_ROWS = 50_000


@router.get(
    "/disbursements",
    response_model=list[DisbursementRead],
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "CSV (UTF-8 with BOM) or JSON",
        },
        **problem_responses(401, 403, 422),
    },
)
async def disbursements_report(
    session: SessionDep, filters: DisbursementFilterDep, format: Literal["csv", "json"] = "csv"
) -> Response | list[DisbursementRead]:
    """Every disbursement of the city (filtered), oldest first, up to 50,000 rows."""
    rows = [
        DisbursementRead.model_validate(r) for r in await repo.all_rows(session, filters, MAX_ROWS)
    ]
    if format == "json":
        return rows
    return Response(
        disbursements_csv(rows).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="disbursements.csv"'},
    )
