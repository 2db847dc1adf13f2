"""Every table of the finance schema, imported here so Alembic sees them all."""

from services.finance.budgets.models import Budget, BudgetCommitment, BudgetEntry, BudgetMovement
from services.finance.clawbacks.models import Clawback, Repayment
from services.finance.db import AuditLog
from services.finance.disbursements.models import Disbursement
from services.finance.funding.models import FundingPlan, Tranche
from services.finance.idempotency.models import IdempotencyRecord
from services.finance.ledger.models import (
    ChainHead,
    LedgerCheckpoint,
    LedgerEntry,
    LedgerTransaction,
)

__all__ = [
    "AuditLog",
    "Budget",
    "BudgetCommitment",
    "BudgetEntry",
    "BudgetMovement",
    "ChainHead",
    "Clawback",
    "Disbursement",
    "FundingPlan",
    "IdempotencyRecord",
    "LedgerCheckpoint",
    "LedgerEntry",
    "LedgerTransaction",
    "Repayment",
    "Tranche",
]
