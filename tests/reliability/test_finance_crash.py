"""Finance is SIGKILLed while review approves projects and while the bureau pays tranches, then
restarted. After recovery (review's outbox, retried on read, on ``deliveries/retry`` and by the
relay; payments retried with their Idempotency-Key) every approved project has exactly one
funding plan, every tranche 1 is paid exactly once, and the ledger's hash chain verifies."""

import asyncio
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest

from common.launch import Stack
from tests.conftest import Auth
from tests.reliability.conftest import admin_fetch, kill, own_stack, record_counts, restart
from tests.review.conftest import AFTER_PUBLICITY, REVIEW_TIME, Lifecycle, ok
from tests.review.test_flow_urumqi import _consents, _reviewed

pytestmark = pytest.mark.e2e
CITY = "urumqi"  # owner choice + horse race: three approved projects per challenge
CHALLENGES = 2
APPS = 3
SIGNED = {"agreement_signed_at": "2025-05-01T10:00:00+08:00"}


async def _awarded(urc: Lifecycle) -> list[tuple[str, str]]:
    """(challenge, application) pairs with results public and publicity over."""
    pairs = []
    for _ in range(CHALLENGES):
        s = await _reviewed(urc, n_apps=APPS)
        cid = s["challenge"]["id"]
        race = {"consents": _consents(s["apps"])}
        for step, headers, body in (("horse-race", {}, race), ("publicity", REVIEW_TIME, None)):
            url = f"/api/v1/results/{cid}/{step}"
            ok(await urc.api.post(url, headers={**urc.bureau, **headers}, json=body))
        pairs += [(cid, a) for a in s["apps"]]
    return pairs


async def _approve(urc: Lifecycle, cid: str, app: str, delay: float) -> httpx.Response:
    await asyncio.sleep(delay)
    body = {"challenge_id": cid, "application_id": app, "outcome": "approve", **SIGNED}
    body["documents"] = await urc.files("agreement")
    return await urc.api.post(
        "/api/v1/decisions", headers={**urc.bureau, **AFTER_PUBLICITY}, json=body
    )


async def _kill_after(stack: Stack, delay: float) -> None:
    await asyncio.sleep(delay)
    await asyncio.to_thread(kill, stack, "finance")


async def _approve_through_a_crash(stack: Stack, urc: Lifecycle) -> list[str]:
    pairs = await _awarded(urc)
    # Decisions spread over ~0.6 s; finance dies in the middle of them.
    answers, _ = await asyncio.gather(
        asyncio.gather(*(_approve(urc, c, a, 0.12 * i) for i, (c, a) in enumerate(pairs))),
        _kill_after(stack, 0.3),
    )
    assert [r.status_code for r in answers] == [201] * len(pairs), [r.text for r in answers]
    return [str(r.json()["project_id"]) for r in answers]


async def _pay(client: httpx.AsyncClient, auth: Auth, pid: str, key: str) -> httpx.Response:
    return await client.post(
        "/api/v1/disbursements",
        json={"project_id": pid, "tranche_seq": 1},
        headers={**auth("bureau", city=CITY, sub="maker"), "Idempotency-Key": key},
    )


async def _pay_later(
    client: httpx.AsyncClient, auth: Auth, pid: str, key: str, delay: float
) -> httpx.Response:
    await asyncio.sleep(delay)
    return await _pay(client, auth, pid, key)


async def _pay_until_done(
    client: httpx.AsyncClient, auth: Auth, pid: str, key: str
) -> dict[str, Any]:
    """What a client does after a 503: the same request, the same key, until it is answered."""
    for _ in range(100):
        response = await _pay(client, auth, pid, key)
        if response.status_code == 201:
            paid = dict(response.json())
            if paid["status"] == "pending_approval":
                approved = await client.post(
                    f"/api/v1/disbursements/{paid['id']}/approve",
                    headers=auth("bureau", city=CITY, sub="checker"),
                )
                assert approved.status_code in (200, 409), approved.text
            return paid
        assert response.status_code == 503, response.text
        await asyncio.sleep(0.2)
    raise AssertionError(f"tranche 1 of {pid} was never paid")


async def _count_money(stack: Stack, pids: list[str]) -> dict[str, Any]:
    ids = [uuid.UUID(p) for p in pids]
    plans = await admin_fetch(
        stack, "SELECT project_id FROM finance.funding_plans WHERE project_id = ANY($1)", ids
    )
    paid = await admin_fetch(
        stack,
        "SELECT project_id, tranche_seq, transaction_id FROM finance.disbursements"
        " WHERE project_id = ANY($1) AND status = 'paid'",
        ids,
    )
    lines = await admin_fetch(
        stack,
        "SELECT transaction_id FROM finance.ledger_entries WHERE transaction_id = ANY($1)",
        [r["transaction_id"] for r in paid],
    )
    return {
        "plans": Counter(str(r["project_id"]) for r in plans),
        "paid": Counter((str(r["project_id"]), r["tranche_seq"]) for r in paid),
        "ledger_lines": Counter(r["transaction_id"] for r in lines),
    }


async def test_finance_killed_during_approvals_and_payments(auth: Auth) -> None:
    relay_often = {"JIEBANG_OUTBOX_INTERVAL_SECONDS": "0.5"}
    async with (
        own_stack("finance_crash", env=relay_often) as stack,
        httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as client,
    ):
        urc = Lifecycle(client, auth, city=CITY)
        pids = await _approve_through_a_crash(stack, urc)
        pending = [
            p
            for p in pids
            if ok(await client.get(f"/api/v1/projects/{p}", headers=urc.bureau))["funding_status"]
            == "pending"
        ]
        assert pending, "finance died after every approval: the crash proved nothing"

        await asyncio.to_thread(restart, stack, "finance")
        # Explicit retries race the relay loop; finance is idempotent on project_id.
        retried = await asyncio.gather(
            *(
                client.post(f"/api/v1/projects/{p}/deliveries/retry", headers=urc.bureau)
                for p in pids
                for _ in range(2)
            )
        )
        assert {r.status_code for r in retried} == {200}
        # A retry that meets a row another one is delivering skips it (SKIP LOCKED) and
        # answers "pending"; delivery is eventual, so wait (bounded) until every project
        # reads "delivered".
        for p in pids:
            status = "pending"
            for _ in range(40):
                project = ok(await client.get(f"/api/v1/projects/{p}", headers=urc.bureau))
                status = project["funding_status"]
                if status == "delivered":
                    break
                await asyncio.sleep(0.25)
            assert status == "delivered"

        keys = {p: f"crash-pay-{uuid.uuid4().hex}" for p in pids}
        first, _ = await asyncio.gather(
            asyncio.gather(
                *(_pay_later(client, auth, p, keys[p], 0.1 * i) for i, p in enumerate(pids))
            ),
            _kill_after(stack, 0.25),
        )
        first_codes = Counter(r.status_code for r in first)
        assert set(first_codes) <= {201, 503} and first_codes[503] > 0, first_codes
        await asyncio.to_thread(restart, stack, "finance")
        await asyncio.gather(*(_pay_until_done(client, auth, p, keys[p]) for p in pids))
        replays = await asyncio.gather(*(_pay(client, auth, p, keys[p]) for p in pids))
        assert {r.headers.get("idempotent-replayed") for r in replays} == {"true"}

        counts = await _count_money(stack, pids)
        assert counts["plans"] == Counter({p: 1 for p in pids})
        assert counts["paid"] == Counter({(p, 1): 1 for p in pids})
        assert set(counts["ledger_lines"].values()) == {2}
        assert len(counts["ledger_lines"]) == len(pids)
        for p in pids:
            plan = ok(await client.get(f"/api/v1/funding/{p}", headers=urc.bureau))
            assert plan["paid"] == plan["tranches"][0]["amount"]
        verify = ok(await client.get("/api/v1/ledger/verify", headers=auth("auditor", city=CITY)))
        assert verify["ok"] is True
        record_counts(
            "finance_crash",
            approved_projects=len(pids),
            plans_pending_at_crash=len(pending),
            payments_refused_503_during_crash=first_codes[503],
            plans_per_project=sorted(set(counts["plans"].values())),
            tranche1_payments_per_project=sorted(set(counts["paid"].values())),
            ledger_verify_ok=verify["ok"],
        )
