"""The ledger's verification at scale: a real hash chain of 10⁵ and 10⁶ lines (hashes computed
here with ``services.finance.ledger.chain``, rows copied in as the admin user), verified in full
through the gateway, then signed at the head and verified again after 1,000 more lines — which
must cost those lines only, not the million before them."""

import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import asyncpg
import httpx

from scripts.bench_report import Report, Row
from scripts.bench_seed import auth

CITY = "bench-verify"  # a chain of its own
SIZES = (100_000, 1_000_000)
TAIL = 1_000


async def _grow(conn: asyncpg.Connection, total: int, chunk: int = 100_000) -> None:
    """Append balanced two-line postings with correct hashes until the chain holds ``total``
    lines, ``chunk`` lines per copy (memory stays small)."""
    head = await conn.fetchrow(
        "SELECT seq, hash FROM finance.ledger_chain_heads WHERE city = $1", CITY
    )
    seq, prev = (head["seq"], head["hash"]) if head else (0, "0" * 64)
    while seq < total:
        seq, prev = await _append(conn, seq, prev, min(total, seq + chunk))
    await conn.execute(
        "INSERT INTO finance.ledger_chain_heads (city, seq, hash) VALUES ($1, $2, $3) "
        "ON CONFLICT (city) DO UPDATE SET seq = $2, hash = $3",
        CITY, seq, prev,
    )  # fmt: skip
    await conn.execute("ANALYZE finance.ledger_entries")


async def _append(conn: asyncpg.Connection, seq: int, prev: str, until: int) -> tuple[int, str]:
    from services.finance.ledger.chain import entry_hash

    at, project = datetime.now(UTC), uuid.uuid4()
    transactions: list[tuple[Any, ...]] = []
    entries: list[tuple[Any, ...]] = []
    txn = line = SimpleNamespace()
    while seq < until:
        txn = SimpleNamespace(
            id=uuid.uuid4(), city=CITY, kind="scale", project_id=project, tranche_id=None,
            clawback_id=None, reference_id=None, actor="bench", request_id="bench", created_at=at,
        )  # fmt: skip
        transactions.append(tuple(vars(txn).values()))
        for amount in (Decimal(seq % 1000 + 1), -Decimal(seq % 1000 + 1)):
            seq += 1
            line = SimpleNamespace(
                id=uuid.uuid4(), transaction_id=txn.id, city=CITY, seq=seq,
                account=f"account:{seq % 50}", amount=amount, project_id=project,
                tranche_id=None, clawback_id=None, actor="bench", request_id="bench",
                created_at=at, prev_hash=prev,
            )  # fmt: skip
            prev = entry_hash(line, txn)
            entries.append((*vars(line).values(), prev))
    await conn.copy_records_to_table(
        "ledger_transactions",
        schema_name="finance",
        records=transactions,
        columns=list(vars(txn).keys()),
    )
    await conn.copy_records_to_table(
        "ledger_entries",
        schema_name="finance",
        records=entries,
        columns=[*vars(line).keys(), "hash"],
    )
    return seq, prev


async def _verify(client: httpx.AsyncClient, **params: Any) -> tuple[float, dict[str, Any]]:
    began = time.perf_counter()
    answer = await client.get(
        "/api/v1/ledger/verify", params=params, headers=auth("auditor", city=CITY)
    )
    elapsed = (time.perf_counter() - began) * 1000
    assert answer.status_code == 200 and answer.json()["ok"], answer.text
    return elapsed, dict(answer.json())


async def verify_curve(report: Report, conn: asyncpg.Connection, client: httpx.AsyncClient) -> None:
    full_ms = 0.0
    for n in SIZES:
        began = time.monotonic()
        await _grow(conn, n)
        seeded = time.monotonic() - began
        full_ms, checked = await _verify(client, full="true")
        report.add(
            Row(
                "scale",
                f"ledger verify (full), {n:,} lines",
                time_ms=full_ms,
                note=f"{checked['entries_checked']:,} lines rehashed; seeded in {seeded:.0f} s",
            )
        )
    signed = await client.post("/api/v1/ledger/checkpoints", headers=auth("bureau", city=CITY))
    assert signed.status_code == 201, signed.text
    await _grow(conn, SIZES[-1] + TAIL)
    since_ms, checked = await _verify(client)
    report.add(
        Row(
            "scale",
            f"ledger verify since checkpoint +{TAIL:,}",
            time_ms=since_ms,
            note=f"{checked['entries_checked']:,} lines rehashed after the signed line "
            f"{checked['checkpoint_seq']:,}",
        )
    )
    report.goal(
        f"verify after a checkpoint: {since_ms:.0f} ms for {TAIL:,} new lines ≤ 5 % of the "
        f"full {SIZES[-1]:,} ({full_ms:.0f} ms)",
        since_ms <= 0.05 * full_ms,
    )


def run(report: Report, admin_dsn: str, gateway: str) -> None:
    """The bench's entry: ``scripts.bench_sections.scale`` calls it after its own curves."""
    import asyncio

    async def go() -> None:
        conn = await asyncpg.connect(admin_dsn)
        try:
            async with httpx.AsyncClient(base_url=gateway, timeout=900) as client:
                await verify_curve(report, conn, client)
        finally:
            await conn.close()

    asyncio.run(go())
