"""The routers of the finance service, in the order they appear in its OpenAPI document."""

from fastapi import APIRouter

from services.finance.budgets.router import router as budgets
from services.finance.clawbacks.router import router as clawbacks
from services.finance.disbursements.router import router as disbursements
from services.finance.funding.router import router as funding
from services.finance.ledger.router import router as ledger
from services.finance.reports.router import router as reports
from services.finance.round_reports.router import router as round_reports
from services.finance.settlements.router import router as settlements

ROUTERS: list[APIRouter] = [
    funding,
    budgets,
    disbursements,
    settlements,
    clawbacks,
    ledger,
    reports,
    round_reports,
]
