"""The hash of one ledger line: sha256 over a canonical serialisation of its content and the
previous line's hash. Pure, so ``/ledger/verify`` and the posting code cannot disagree."""

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID


class Hashable(Protocol):
    id: UUID
    transaction_id: UUID
    city: str
    seq: int
    account: str
    amount: Decimal
    project_id: UUID
    tranche_id: UUID | None
    clawback_id: UUID | None
    actor: str
    request_id: str
    created_at: datetime
    prev_hash: str


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def canonical(entry: Hashable) -> bytes:
    """Sorted keys, no spaces, amounts with two places, times in UTC with microseconds."""
    payload = {
        "id": str(entry.id),
        "transaction_id": str(entry.transaction_id),
        "city": entry.city,
        "seq": entry.seq,
        "account": entry.account,
        "amount": f"{entry.amount:.2f}",
        "project_id": str(entry.project_id),
        "tranche_id": _text(entry.tranche_id),
        "clawback_id": _text(entry.clawback_id),
        "actor": entry.actor,
        "request_id": entry.request_id,
        "created_at": entry.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: Hashable) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()
