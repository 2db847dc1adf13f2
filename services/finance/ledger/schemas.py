"""What auditors read from the ledger."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, computed_field

from common.money import Money, SignedMoney
from common.schemas import ReadSchema
from common.states import ChainBreak


class LedgerEntryRead(ReadSchema):
    id: UUID
    transaction_id: UUID
    city: str
    seq: int
    account: str
    amount: SignedMoney
    project_id: UUID
    tranche_id: UUID | None
    clawback_id: UUID | None
    actor: str
    request_id: str
    created_at: datetime
    prev_hash: str
    hash: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def side(self) -> Literal["debit", "credit"]:
        return "debit" if self.amount > 0 else "credit"


class BalanceRead(BaseModel):
    account: str
    debits: Money
    credits: Money
    balance: SignedMoney
    entries: int


class BrokenLink(BaseModel):
    id: UUID | None
    seq: int | None
    kind: ChainBreak
    expected: str
    found: str


class VerifyRead(BaseModel):
    ok: bool
    city: str
    entries_checked: int
    first_broken: BrokenLink | None
    unbalanced_transactions: list[UUID]
