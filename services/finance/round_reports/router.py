"""``/reports/rounds/{round_id}``: a round's ranked results and money, as JSON, CSV or HTML."""

import uuid
from typing import Literal

from fastapi import APIRouter, Request, Response

from common.db import SessionDep
from common.deps import CityRuleSet, FinanceReader
from common.errors import problem_responses
from services.finance.round_reports import service
from services.finance.round_reports.render import CSP, render_csv, render_html
from services.finance.round_reports.schemas import RoundReport

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get(
    "/rounds/{round_id}",
    response_model=RoundReport,
    responses={
        200: {
            "description": "JSON, CSV (UTF-8 with BOM) or a self-contained HTML page",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
            },
        },
        **problem_responses(401, 403, 404, 422, 503),
    },
    summary="A round's ranked results and money per challenge (bureau, auditor)",
)
async def round_report(
    round_id: uuid.UUID,
    request: Request,
    user: FinanceReader,
    ruleset: CityRuleSet,
    session: SessionDep,
    format: Literal["json", "csv", "html"] = "json",
) -> RoundReport | Response:
    report = await service.build(session, request.app.state.services, user, ruleset, round_id)
    if format == "csv":
        return Response(
            render_csv(report).encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="round-{round_id}.csv"'},
        )
    if format == "html":
        return Response(
            render_html(report),
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"},
        )
    return report
