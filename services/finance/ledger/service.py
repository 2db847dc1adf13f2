"""Posting to the ledger (verifying it: ``services.finance.ledger.verification``).

Every posting locks the city's chain head first, so concurrent postings of one city are
serialised and the chain stays one line; callers lock their own rows (tranche, claw-back) before
posting, never after, so the lock order is always row → chain head.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.context import request_id_var
from common.money import to_fen
from services.finance.ledger import repository as repo
from services.finance.ledger.chain import entry_hash
from services.finance.ledger.models import LedgerEntry, LedgerTransaction


@dataclass(frozen=True)
class Line:
    """One side of a posting: a positive amount debits the account, a negative one credits it."""

    account: str
    amount: Decimal


@dataclass(frozen=True)
class Posting:
    city: str
    kind: str
    project_id: uuid.UUID
    actor: str
    lines: tuple[Line, ...]
    tranche_id: uuid.UUID | None = None
    clawback_id: uuid.UUID | None = None
    reference_id: uuid.UUID | None = None


def _balanced(lines: tuple[Line, ...]) -> bool:
    """The posting's own lines, checked before anything is written."""
    return len(lines) >= 2 and sum((line.amount for line in lines), Decimal(0)) == 0


async def post(session: AsyncSession, posting: Posting) -> LedgerTransaction:
    if not _balanced(posting.lines):
        raise ValueError("a ledger posting must have balanced lines")
    head = await repo.lock_chain_head(session, posting.city)
    at, request_id = clock.now(), request_id_var.get()
    txn = LedgerTransaction(
        id=uuid.uuid4(),
        city=posting.city,
        kind=posting.kind,
        project_id=posting.project_id,
        tranche_id=posting.tranche_id,
        clawback_id=posting.clawback_id,
        reference_id=posting.reference_id,
        actor=posting.actor,
        request_id=request_id,
        created_at=at,
    )
    session.add(txn)
    await session.flush()  # no relationship tells the unit of work to insert it first
    seq, prev = head.seq, head.hash
    for line in posting.lines:
        seq += 1
        entry = LedgerEntry(
            id=uuid.uuid4(),
            transaction_id=txn.id,
            city=posting.city,
            seq=seq,
            account=line.account,
            amount=to_fen(line.amount),
            project_id=posting.project_id,
            tranche_id=posting.tranche_id,
            clawback_id=posting.clawback_id,
            actor=posting.actor,
            request_id=request_id,
            created_at=at,
            prev_hash=prev,
        )
        entry.hash = prev = entry_hash(entry, txn)
        session.add(entry)
    head.seq, head.hash = seq, prev
    await session.flush()
    return txn


async def transfer(
    session: AsyncSession,
    *,
    city: str,
    kind: str,
    project_id: uuid.UUID,
    actor: str,
    debit: str,
    credit: str,
    amount: Decimal,
    tranche_id: uuid.UUID | None = None,
    clawback_id: uuid.UUID | None = None,
    reference_id: uuid.UUID | None = None,
) -> LedgerTransaction:
    """The usual posting: one account debited, another credited, by the same amount."""
    return await post(
        session,
        Posting(
            city=city,
            kind=kind,
            project_id=project_id,
            actor=actor,
            lines=(Line(debit, amount), Line(credit, -amount)),
            tranche_id=tranche_id,
            clawback_id=clawback_id,
            reference_id=reference_id,
        ),
    )


async def balance(session: AsyncSession, city: str, account: str) -> Decimal:
    return await repo.account_balance(session, city, account)
