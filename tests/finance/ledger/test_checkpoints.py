"""Signed checkpoints of the ledger's hash chain, against the real processes: verification is
incremental from the latest checkpoint, one snapshot (no false alarm while postings commit),
and an exported checkpoint catches a rewritten line as well as a chain rewritten consistently
from end to end."""

import asyncio
import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import asyncpg
import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from common.bootstrap import _dsn
from common.db import admin_url
from services.finance.ledger.chain import ENTRY_FIELDS, TRANSACTION_FIELDS, entry_hash
from services.finance.ledger.signing import message
from tests.conftest import Auth
from tests.finance.budget import appropriate
from tests.finance.conftest import key, plan_body
from tests.finance.test_live import CITY, _pay

pytestmark = pytest.mark.e2e
VERIFY = "/api/v1/ledger/verify"


async def _plans(client: httpx.AsyncClient, auth: Auth, n: int) -> list[str]:
    """``n`` plans (cap 800,000.00 each) after one appropriation that holds them (the live
    database is shared: a big appropriation per plan would overflow the year's budget)."""
    await appropriate(client, auth, CITY, amount=f"{n * 1_000_000}.00")
    pids = []
    for _ in range(n):
        body = plan_body(CITY, bounty_amount="2000000.00")
        made = await client.post("/api/v1/funding", json=body, headers=auth("service", city=CITY))
        assert made.status_code == 201, made.text
        pids.append(str(body["project_id"]))
    return pids


async def _paid_project(client: httpx.AsyncClient, auth: Auth) -> str:
    [pid] = await _plans(client, auth, 1)
    assert (await _pay(client, auth, pid, key())).status_code == 201
    return pid


async def _verify(client: httpx.AsyncClient, auth: Auth, **params: Any) -> dict[str, Any]:
    answer = await client.get(VERIFY, params=params, headers=auth("auditor", city=CITY))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def _checkpoint(client: httpx.AsyncClient, auth: Auth) -> dict[str, Any]:
    made = await client.post("/api/v1/ledger/checkpoints", headers=auth("bureau", city=CITY))
    assert made.status_code == 201, made.text
    exported = await client.get(
        "/api/v1/ledger/checkpoints/latest", headers=auth("auditor", city=CITY)
    )
    assert exported.json() == made.json()
    return dict(made.json())


@asynccontextmanager
async def _admin(live: Any) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(_dsn(admin_url(live.settings)))
    try:
        yield conn
    finally:
        await conn.close()


async def _chain(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    columns = [f"e.{c} AS e_{c}" for c in (*ENTRY_FIELDS, "hash")]
    columns += [f"t.{c} AS t_{c}" for c in TRANSACTION_FIELDS]
    return list(
        await conn.fetch(
            f"SELECT {', '.join(columns)} FROM finance.ledger_entries e JOIN "
            "finance.ledger_transactions t ON t.id = e.transaction_id WHERE e.city = $1 "
            "ORDER BY e.seq",
            CITY,
        )
    )


async def _rewrite(conn: asyncpg.Connection, lines: list[asyncpg.Record], changed: Any) -> None:
    """Store ``lines`` with amounts from ``changed(record)`` and every hash recomputed from
    the genesis line, and move the head: what someone who can write the tables would do."""
    prev = "0" * 64
    async with conn.transaction():
        await conn.execute("ALTER TABLE finance.ledger_entries DISABLE TRIGGER USER")
        for row in lines:
            line = SimpleNamespace(**{c: row[f"e_{c}"] for c in ENTRY_FIELDS})
            line.amount, line.prev_hash = changed(row), prev
            txn = SimpleNamespace(**{c: row[f"t_{c}"] for c in TRANSACTION_FIELDS})
            prev = entry_hash(line, txn)
            await conn.execute(
                "UPDATE finance.ledger_entries SET amount = $1, prev_hash = $2, hash = $3 "
                "WHERE id = $4",
                line.amount,
                line.prev_hash,
                prev,
                line.id,
            )
        await conn.execute("ALTER TABLE finance.ledger_entries ENABLE TRIGGER USER")
        await conn.execute(
            "UPDATE finance.ledger_chain_heads SET hash = $1 WHERE city = $2", prev, CITY
        )


async def test_exported_checkpoint_catches_a_changed_line_and_a_consistent_rewrite(
    live: Any, auth: Auth
) -> None:
    async with httpx.AsyncClient(base_url=live.gateway_url, timeout=60) as client:
        pid = await _paid_project(client, auth)
        exported = await _checkpoint(client, auth)
        public = load_pem_public_key(exported["public_key"].encode())
        signed = message(CITY, exported["seq"], exported["hash"], _at(exported["signed_at"]))
        assert isinstance(public, Ed25519PublicKey)  # an auditor's own check, offline
        public.verify(base64.b64decode(exported["signature"]), signed)
        anchor = {"anchor_seq": exported["seq"], "anchor_hash": exported["hash"]}
        assert (await _verify(client, auth, **anchor))["ok"] is True

        async with _admin(live) as conn:
            original = await _chain(conn)
            target = next(r for r in original if str(r["e_project_id"]) == pid)
            moved = Decimal("1000.00")

            def shifted(row: asyncpg.Record) -> Decimal:
                """Both lines of the payment grow by 1,000.00: still balanced."""
                same = row["e_transaction_id"] == target["e_transaction_id"]
                sign = 1 if row["e_amount"] > 0 else -1
                return Decimal(row["e_amount"]) + (sign * moved if same else 0)

            try:
                await conn.execute("ALTER TABLE finance.ledger_entries DISABLE TRIGGER USER")
                await conn.execute(
                    "UPDATE finance.ledger_entries SET amount = amount + 1 WHERE id = $1",
                    target["e_id"],
                )
                await conn.execute("ALTER TABLE finance.ledger_entries ENABLE TRIGGER USER")
                one_line = await _verify(client, auth, **anchor)
                assert one_line["ok"] is False
                assert one_line["first_broken"]["kind"] == "content"
                assert one_line["first_broken"]["id"] == str(target["e_id"])

                await _rewrite(conn, original, shifted)
                assert (await _verify(client, auth, full="true"))["ok"] is True  # consistent
                whole = await _verify(client, auth, **anchor)
                assert whole["ok"] is False
                assert whole["first_broken"]["kind"] == "checkpoint"
                assert whole["first_broken"]["expected"] == exported["hash"]
                stored = await _verify(client, auth)  # the database's own checkpoint row
                assert stored["first_broken"]["kind"] == "checkpoint"
            finally:
                await _rewrite(conn, original, lambda row: row["e_amount"])
        assert (await _verify(client, auth, **anchor))["ok"] is True


def _at(text: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(text)


async def test_verify_counts_only_the_lines_since_the_checkpoint(live: Any, auth: Auth) -> None:
    async with httpx.AsyncClient(base_url=live.gateway_url, timeout=60) as client:
        await _paid_project(client, auth)
        exported = await _checkpoint(client, auth)
        await _paid_project(client, auth)
        report = await _verify(client, auth)
        assert report["ok"] is True
        assert report["checkpoint_seq"] == exported["seq"]
        assert report["verified_from_seq"] == exported["seq"]
        assert report["entries_checked"] == 2  # one payment: two lines
        assert report["head_seq"] == exported["seq"] + 2
        full = await _verify(client, auth, full="true")
        assert full["ok"] is True and full["entries_checked"] == full["head_seq"]


async def test_verify_while_payments_commit_raises_no_false_alarm(live: Any, auth: Auth) -> None:
    async with httpx.AsyncClient(base_url=live.gateway_url, timeout=60) as client:
        pids = await _plans(client, auth, 12)

        done = asyncio.Event()

        async def pay_all() -> list[int]:
            try:
                answers = await asyncio.gather(*(_pay(client, auth, p, key()) for p in pids))
                return [a.status_code for a in answers]
            finally:
                done.set()

        async def verify_until_paid() -> list[dict[str, Any]]:
            reports = [await _verify(client, auth, full="true")]
            while not done.is_set():
                reports.append(await _verify(client, auth, full="true"))
            return reports

        paid, reports = await asyncio.gather(pay_all(), verify_until_paid())
        reports.append(await _verify(client, auth, full="true"))
        assert set(paid) == {201}
        assert [r["ok"] for r in reports] == [True] * len(reports), reports
        assert len({r["head_seq"] for r in reports}) > 1, "no posting committed during verify"
