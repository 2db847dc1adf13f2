"""Settling a project after acceptance, and the answer with its formula."""

from uuid import UUID

from pydantic import BaseModel

from common.money import Money
from common.rulesets.schema import Outcome
from common.schemas import Schema
from services.finance.clawbacks.schemas import ClawbackRead
from services.finance.funding.schemas import FormulaRead, TrancheRead


class SettlementCreate(Schema):
    project_id: UUID


class SettlementRead(BaseModel):
    project_id: UUID
    outcome: Outcome
    factor: str
    recomputed_subsidy: Money
    paid_before: Money
    remaining: Money
    tranches: list[TrancheRead]
    clawback: ClawbackRead | None
    formula: FormulaRead
