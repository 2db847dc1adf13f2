"""Against the real processes: concurrency on one tranche and one claw-back, and tampering with
a stored ledger row detected by ``/ledger/verify``."""

import asyncio
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from common.bootstrap import _dsn
from common.db import admin_url
from tests.conftest import Auth
from tests.finance.budget import appropriate
from tests.finance.conftest import key, plan_body

pytestmark = pytest.mark.e2e
CITY = "urumqi"  # a tranche of 400,000.00 is below the four-eyes threshold: paid at once


async def _plan(client: httpx.AsyncClient, auth: Auth) -> str:
    await appropriate(client, auth, CITY)
    body = plan_body(CITY, bounty_amount="2000000.00")
    created = await client.post("/api/v1/funding", json=body, headers=auth("service", city=CITY))
    assert created.status_code == 201, created.text
    return str(body["project_id"])


async def _entries(client: httpx.AsyncClient, auth: Auth, pid: str) -> list[dict[str, Any]]:
    response = await client.get(
        "/api/v1/ledger/entries",
        params={"project_id": pid, "limit": 200},
        headers=auth("auditor", city=CITY),
    )
    return list(response.json()["items"])


def _pay(client: httpx.AsyncClient, auth: Auth, pid: str, headers: dict[str, str]) -> Any:
    return client.post(
        "/api/v1/disbursements",
        json={"project_id": pid, "tranche_seq": 1},
        headers={**auth("bureau", city=CITY, sub="bureau-live"), **headers},
    )


async def test_fifty_concurrent_requests_with_one_key_move_money_once(
    live: Any, auth: Auth
) -> None:
    async with httpx.AsyncClient(base_url=live.gateway_url, timeout=60) as client:
        pid = await _plan(client, auth)
        same = key()
        answers = await asyncio.gather(*(_pay(client, auth, pid, same) for _ in range(50)))
        assert {a.status_code for a in answers} == {201}, {a.text for a in answers}
        assert len({a.json()["id"] for a in answers}) == 1
        entries = await _entries(client, auth, pid)
        assert len(entries) == 2 and len({e["transaction_id"] for e in entries}) == 1


async def test_fifty_concurrent_keys_for_one_tranche_pay_it_once(live: Any, auth: Auth) -> None:
    async with httpx.AsyncClient(base_url=live.gateway_url, timeout=60) as client:
        pid = await _plan(client, auth)
        answers = await asyncio.gather(*(_pay(client, auth, pid, key()) for _ in range(50)))
        codes = sorted(a.status_code for a in answers)
        assert codes == [201] + [409] * 49, {a.text for a in answers if a.status_code != 409}
        assert len(await _entries(client, auth, pid)) == 2
        funding = await client.get(f"/api/v1/funding/{pid}", headers=auth("bureau", city=CITY))
        assert funding.json()["paid"] == "400000.00"


async def test_concurrent_repayments_never_take_the_receivable_below_zero(
    live: Any, auth: Auth
) -> None:
    async with httpx.AsyncClient(base_url=live.gateway_url, timeout=60) as client:
        pid = await _plan(client, auth)
        assert (await _pay(client, auth, pid, key())).status_code == 201
        accepted = await client.post(
            f"/api/v1/funding/{pid}/acceptance",
            headers=auth("service", city=CITY),
            json={
                "outcome": "failed",
                "audited_total_investment": "1.00",
                # 40 % of it covers the 400,000.00 paid: only the unused amount comes back
                "audited_bounty_paid": "1000000.00",
                "unused_amount": "300000.00",
            },
        )
        assert accepted.status_code == 201
        settled = await client.post(
            "/api/v1/settlements",
            json={"project_id": pid},
            headers={**auth("bureau", city=CITY), **key()},
        )
        clawback = settled.json()["clawback"]
        assert clawback["amount"] == "300000.00"
        url = f"/api/v1/clawbacks/{clawback['id']}/repayments"
        answers = await asyncio.gather(
            *(
                client.post(
                    url, json={"amount": "50000.00"}, headers={**auth("bureau", city=CITY), **key()}
                )
                for _ in range(20)
            )
        )
        assert sorted(a.status_code for a in answers) == [201] * 6 + [409] * 14
        balances = await client.get(
            "/api/v1/ledger/balances",
            params={"project_id": pid},
            headers=auth("auditor", city=CITY),
        )
        by_account = {b["account"]: b["balance"] for b in balances.json()["items"]}
        assert by_account[f"project:{pid}:clawback_receivable"] == "0.00"


async def _tamper(live: Any, entry_id: str, delta: str) -> None:
    conn = await asyncpg.connect(_dsn(admin_url(live.settings)))
    try:
        async with conn.transaction():
            await conn.execute("ALTER TABLE finance.ledger_entries DISABLE TRIGGER USER")
            await conn.execute(
                "UPDATE finance.ledger_entries SET amount = amount + $1::numeric WHERE id = $2",
                delta,
                uuid.UUID(entry_id),
            )
            await conn.execute("ALTER TABLE finance.ledger_entries ENABLE TRIGGER USER")
    finally:
        await conn.close()


async def test_tampering_with_a_stored_row_is_detected_by_verify(live: Any, auth: Auth) -> None:
    async with httpx.AsyncClient(base_url=live.gateway_url, timeout=60) as client:
        pid = await _plan(client, auth)
        assert (await _pay(client, auth, pid, key())).status_code == 201
        verify = "/api/v1/ledger/verify"
        before = (await client.get(verify, headers=auth("auditor", city=CITY))).json()
        assert before["ok"] is True
        target = (await _entries(client, auth, pid))[0]
        await _tamper(live, target["id"], "1000.00")
        try:
            after = (await client.get(verify, headers=auth("auditor", city=CITY))).json()
            assert after["ok"] is False
            broken = after["first_broken"]
            assert broken["id"] == target["id"] and broken["seq"] == target["seq"]
            assert broken["kind"] == "content" and broken["found"] == target["hash"]
            assert broken["expected"] != target["hash"]
        finally:
            await _tamper(live, target["id"], "-1000.00")
        restored = (await client.get(verify, headers=auth("auditor", city=CITY))).json()
        assert restored["ok"] is True
