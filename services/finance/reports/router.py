"""``/reports``: exports for auditors and the bureau."""

from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse

from common.db import SessionDep
from common.errors import problem_responses
from common.schemas import Page
from services.finance.disbursements import repository as repo
from services.finance.disbursements.dependencies import DisbursementFilterDep
from services.finance.disbursements.schemas import DisbursementRead
from services.finance.ledger import repository as ledger
from services.finance.ledger.dependencies import LedgerFilter
from services.finance.ledger.schemas import LedgerEntryRead
from services.finance.reports.service import DISBURSEMENT_COLUMNS, LEDGER_COLUMNS, stream_csv

router = APIRouter(prefix="/reports", tags=["reports"])
MAX_ROWS = 50_000
CSV: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/csv": {"schema": {"type": "string"}}},
        "description": "CSV (UTF-8 with BOM), streamed",
    }
}
CSV_OR_JSON: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/csv": {"schema": {"type": "string"}}},
        "description": "JSON (the default) or, with format=csv, CSV (UTF-8 with BOM), streamed",
    }
}


def _csv(body: object, name: str) -> StreamingResponse:
    return StreamingResponse(
        body,  # type: ignore[arg-type]
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@router.get(
    "/disbursements",
    response_model=Page[DisbursementRead],
    responses={**CSV_OR_JSON, **problem_responses(401, 403, 422)},
)
async def disbursements_report(
    request: Request,
    session: SessionDep,
    filters: DisbursementFilterDep,
    format: Literal["json", "csv"] = "json",
) -> Response | Page[DisbursementRead]:
    """Every disbursement of the city (filtered), oldest first: CSV (``format=csv``, for
    auditors) streams all of them; JSON, the default as declared, answers up to 50,000 in one
    page like every other list."""
    if format == "csv":
        statement = repo.ordered(filters)
        rows = stream_csv(
            request.app.state.sessionmaker, statement, DISBURSEMENT_COLUMNS, DisbursementRead
        )
        return _csv(rows, "disbursements")
    found = await repo.all_rows(session, filters, MAX_ROWS)
    return Page(items=[DisbursementRead.model_validate(r) for r in found])


@router.get(
    "/ledger",
    response_class=StreamingResponse,
    responses={**CSV, **problem_responses(400, 401, 403, 422)},
)
async def ledger_report(request: Request, filters: LedgerFilter) -> StreamingResponse:
    """Every ledger line of the city (filtered by project, account, date range) in booking
    order, as CSV for auditors, streamed."""
    rows = stream_csv(
        request.app.state.sessionmaker, ledger.ordered(filters), LEDGER_COLUMNS, LedgerEntryRead
    )
    return _csv(rows, "ledger")
