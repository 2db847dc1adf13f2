"""Verifying a city's hash chain and signing checkpoints of it.

``verify`` starts from the latest signed checkpoint (its signature checked, its line's stored
hash equal to the signed one) and recomputes only the lines after it, so its cost is the lines
since the checkpoint, not the whole history; ``full`` starts from the genesis line. Against an
*exported* checkpoint (the auditor's own copy: ``anchor``) every line up to it is recomputed and
the computed hash must equal the signed one — which catches a single rewritten line and also a
chain rewritten consistently from end to end, with or without the checkpoint rows.
Tests: tests/finance/ledger/test_checkpoints.py.
"""

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from common.errors import Conflict, ServiceUnavailable
from services.finance.ledger import repository as repo
from services.finance.ledger.chain import entry_hash
from services.finance.ledger.models import GENESIS, LedgerCheckpoint
from services.finance.ledger.schemas import BrokenLink, VerifyRead
from services.finance.ledger.signing import Signer, message
from services.finance.ledger.signing import signer as signer_of

log = logging.getLogger("jiebang.ledger")
BATCH = 5000


@dataclass(frozen=True)
class Anchor:
    """A checkpoint an auditor exported earlier: the chain's hash at line ``seq``."""

    seq: int
    hash: str


@dataclass
class Walk:
    checked: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    broken: BrokenLink | None = None


async def _walk(session: AsyncSession, city: str, walk: Walk, through: int | None = None) -> Walk:
    """Recompute each line's hash after ``walk.last_seq`` in order and check each link."""
    while walk.broken is None:
        batch = await repo.chain_batch(session, city, walk.last_seq, BATCH, through=through)
        if not batch:
            break
        for line in batch:
            walk.checked += 1
            walk.broken = _check(line, walk.last_hash)
            if walk.broken:
                break
            walk.last_seq, walk.last_hash = line.seq, line.hash
    return walk


def _check(line: repo.ChainLine, prev: str) -> BrokenLink | None:
    if line.prev_hash != prev:
        return BrokenLink(
            id=line.id, seq=line.seq, kind="link", expected=prev, found=line.prev_hash
        )
    expected = entry_hash(line.entry, line.transaction)
    if expected != line.hash:
        return BrokenLink(
            id=line.id, seq=line.seq, kind="content", expected=expected, found=line.hash
        )
    return None


async def _from_checkpoint(
    session: AsyncSession, city: str, signer: Signer | None
) -> tuple[Walk, LedgerCheckpoint | None]:
    """Where an incremental walk starts: after the latest checkpoint this key signed, once its
    signature and its line's stored hash are checked; else at the genesis line."""
    checkpoint = await repo.latest_checkpoint(session, city)
    if checkpoint is None or signer is None:
        return Walk(), None
    signed = message(city, checkpoint.seq, checkpoint.hash, checkpoint.signed_at)
    if checkpoint.key_id != signer.key_id or not signer.valid(signed, checkpoint.signature):
        broken = BrokenLink(
            id=None, seq=checkpoint.seq, kind="checkpoint_signature", expected="", found=""
        )
        return Walk(broken=broken), checkpoint
    line = await repo.line_at(session, city, checkpoint.seq)
    if line is None or line.hash != checkpoint.hash:
        found = line.hash if line else "missing"
        broken = BrokenLink(
            id=line.id if line else None,
            seq=checkpoint.seq,
            kind="checkpoint",
            expected=checkpoint.hash,
            found=found,
        )
        return Walk(broken=broken), checkpoint
    return Walk(last_seq=checkpoint.seq, last_hash=checkpoint.hash), checkpoint


async def _against(session: AsyncSession, city: str, anchor: Anchor) -> Walk:
    walk = await _walk(session, city, Walk(), through=anchor.seq)
    if walk.broken is None and (walk.last_seq, walk.last_hash) != (anchor.seq, anchor.hash):
        walk.broken = BrokenLink(
            id=None,
            seq=anchor.seq,
            kind="checkpoint",
            expected=anchor.hash,
            found=walk.last_hash if walk.last_seq == anchor.seq else "missing",
        )
    return walk


async def verify(
    session: AsyncSession,
    city: str,
    signer: Signer | None,
    *,
    full: bool = False,
    anchor: Anchor | None = None,
) -> VerifyRead:
    used: LedgerCheckpoint | None = None
    if anchor is not None:
        walk = await _against(session, city, anchor)
    elif full:
        walk = Walk()
    else:
        walk, used = await _from_checkpoint(session, city, signer)
    start = walk.last_seq
    if walk.broken is None:
        walk = await _walk(session, city, walk)
    if walk.broken is None:
        walk.broken = await _check_head(session, city, walk.last_seq, walk.last_hash)
    unbalanced = await repo.unbalanced_transactions(session, city, 0 if anchor else start)
    return VerifyRead(
        ok=walk.broken is None and not unbalanced,
        city=city,
        entries_checked=walk.checked,
        verified_from_seq=0 if anchor else start,
        head_seq=walk.last_seq,
        checkpoint_seq=anchor.seq if anchor else (used.seq if used else None),
        first_broken=walk.broken,
        unbalanced_transactions=unbalanced,
    )


async def _check_head(
    session: AsyncSession, city: str, last_seq: int, last_hash: str
) -> BrokenLink | None:
    """A deleted last line leaves the head pointing past the end of the chain."""
    head = await repo.chain_head(session, city)
    if head is None or (head.seq == last_seq and head.hash == last_hash):
        return None
    return BrokenLink(id=None, seq=head.seq, kind="head", expected=head.hash, found=last_hash)


async def checkpoint(session: AsyncSession, city: str, signer: Signer | None) -> LedgerCheckpoint:
    """Sign the chain's head once the lines since the last checkpoint verify. The head is
    locked (postings wait a moment), so what is signed is exactly what was verified."""
    if signer is None:
        raise ServiceUnavailable(
            "No ledger signing key is configured", code="ledger.no_signing_key"
        )
    head = await repo.lock_chain_head(session, city)
    latest = await repo.latest_checkpoint(session, city)
    if latest is not None and latest.seq == head.seq:
        return latest
    if head.seq == 0:
        raise Conflict("The city's ledger has no lines yet", code="ledger.empty")
    report = await verify(session, city, signer)
    if not report.ok:
        raise Conflict("The chain does not verify; no checkpoint is signed", code="ledger.broken")
    signed_at = datetime.now(UTC)
    made = LedgerCheckpoint(
        city=city,
        seq=head.seq,
        hash=head.hash,
        signed_at=signed_at,
        key_id=signer.key_id,
        signature=signer.sign(message(city, head.seq, head.hash, signed_at)),
    )
    session.add(made)
    await session.flush()
    return made


async def checkpoint_all(maker: async_sessionmaker[AsyncSession], signer: Signer) -> int:
    """One checkpoint per city whose chain grew since its last one, each in its own
    transaction; returns how many were signed."""
    async with maker() as session:
        heads = [(h.city, h.seq) for h in await repo.cities_with_chains(session)]
    signed = 0
    for city, seq in heads:
        async with maker() as session, session.begin():
            latest = await repo.latest_checkpoint(session, city)
            if latest is None or latest.seq < seq:
                await checkpoint(session, city, signer)
                signed += 1
    return signed


async def checkpoint_loop(app: FastAPI) -> None:
    """Finance's background job: sign checkpoints every ``ledger_checkpoint_interval_seconds``
    (an auditor still exports them: the database's own copy can be rewritten with the chain)."""
    settings = app.state.settings
    interval, key = settings.ledger_checkpoint_interval_seconds, signer_of(settings)
    if not interval or key is None:
        return
    while True:
        await asyncio.sleep(interval)
        try:
            await checkpoint_all(app.state.sessionmaker, key)
        except Exception:
            log.exception("ledger checkpoint failed; retrying at the next interval")
