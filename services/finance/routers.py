"""The routers of the finance service, in the order they appear in its OpenAPI document."""

from fastapi import APIRouter

from services.finance.funding.router import router as funding
from services.finance.ledger.router import router as ledger

ROUTERS: list[APIRouter] = [funding, ledger]
