"""What auditors read from the ledger."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field, computed_field

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
    verified_from_seq: int = Field(
        description="Lines up to this one were trusted on a signed checkpoint (0: none)"
    )
    head_seq: int = Field(description="The last line checked")
    checkpoint_seq: int | None = Field(
        description="The checkpoint the verification was anchored on, if any"
    )
    first_broken: BrokenLink | None
    unbalanced_transactions: list[UUID]


class CheckpointRead(BaseModel):
    """A signed checkpoint, exported for auditors: keep it outside the platform; later,
    ``GET /ledger/verify?anchor_seq=…&anchor_hash=…`` proves the chain still leads to it.
    ``signature`` is Ed25519 (base64) over the canonical JSON of city, seq, hash and
    signed_at (sorted keys, no spaces, signed_at in UTC with microseconds)."""

    city: str
    seq: int
    hash: str
    signed_at: datetime
    algorithm: Literal["Ed25519"] = "Ed25519"
    key_id: str
    signature: str
    public_key: str = Field(description="The signing key's public half (PEM)")
