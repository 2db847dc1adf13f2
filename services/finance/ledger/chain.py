"""The hash of one ledger line: sha256 over a canonical serialisation of every column of the
line *and* of its transaction (kind, reference, actor, …) plus the previous line's hash. Pure,
so ``/ledger/verify``, the posting code and the migration that rehashed the chain cannot
disagree. Tests: tests/finance/ledger/test_checkpoints.py."""

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

ENTRY_FIELDS = (
    "id",
    "transaction_id",
    "city",
    "seq",
    "account",
    "amount",
    "project_id",
    "tranche_id",
    "clawback_id",
    "actor",
    "request_id",
    "created_at",
    "prev_hash",
)
TRANSACTION_FIELDS = (
    "id",
    "city",
    "kind",
    "project_id",
    "tranche_id",
    "clawback_id",
    "reference_id",
    "actor",
    "request_id",
    "created_at",
)


def _value(value: Any) -> Any:
    if value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return str(value)


def canonical(entry: Any, transaction: Any) -> bytes:
    """Sorted keys, no spaces, amounts with two places, times in UTC with microseconds; the
    transaction's columns under ``transaction``, so changing its kind or reference breaks the
    chain as surely as changing an amount."""
    payload = {name: _value(getattr(entry, name)) for name in ENTRY_FIELDS}
    payload["transaction"] = {
        name: _value(getattr(transaction, name)) for name in TRANSACTION_FIELDS
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: Any, transaction: Any) -> str:
    return hashlib.sha256(canonical(entry, transaction)).hexdigest()
