"""Two replicas of each service behind the gateway (``JIEBANG_<SERVICE>_URL`` lists both):
requests are spread over them; one replica of each service is SIGKILLed under load and no
request the client was told succeeded is lost (reads move to the other replica, a write that
may have reached the dead one answers 503 and is never repeated by the gateway); the outbox
relays of both review replicas deliver each pending finance call exactly once."""

import asyncio
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from common.launch import Stack
from tests.conftest import Auth
from tests.intake.conftest import credit_code
from tests.reliability.conftest import kill, own_stack, record_counts, restart
from tests.reliability.test_finance_crash import _approve, _awarded
from tests.review.conftest import Lifecycle, ok

pytestmark = pytest.mark.e2e
CITY = "urumqi"
LOAD_SECONDS = 3.0
CLIENTS = 6
REPLICA_2 = ("intake#2", "review#2", "finance#2")


async def _spread(client: httpx.AsyncClient, bureau: dict[str, str]) -> None:
    for path in ("/api/v1/organizations", "/api/v1/experts", "/api/v1/disbursements"):
        answers = [await client.get(path, params={"limit": 1}, headers=bureau) for _ in range(6)]
        assert {r.status_code for r in answers} == {200}
        assert len({r.headers["x-replica"] for r in answers}) == 2, path


def _funding_posts(stack: Stack, offsets: dict[str, int]) -> Counter[int]:
    """Statuses finance answered to POST /funding since ``offsets`` (its JSON access log)."""
    seen: Counter[int] = Counter()
    for name, start in offsets.items():
        with open(Path(stack.log_dir) / f"{name}.log", "rb") as log:  # type: ignore[attr-defined]
            log.seek(start)
            for raw in log:
                line = json.loads(raw) if raw.startswith(b"{") else {}
                if line.get("method") == "POST" and line.get("path") == "/api/v1/funding":
                    seen[line["status"]] += 1
    return seen


async def _relays_deliver_once(stack: Stack, urc: Lifecycle) -> int:
    """Both finance replicas down: approvals leave pending deliveries; then both review
    replicas' relays race to deliver them."""
    pairs = await _awarded(urc)
    for name in ("finance", "finance#2"):
        await asyncio.to_thread(kill, stack, name)
    answers = [await _approve(urc, c, a, 0) for c, a in pairs]
    assert [r.status_code for r in answers] == [201] * len(pairs)
    logs = Path(stack.log_dir)  # type: ignore[attr-defined]
    offsets = {n: (logs / f"{n}.log").stat().st_size for n in ("finance", "finance#2")}
    for name in ("finance", "finance#2"):
        await asyncio.to_thread(restart, stack, name)
    for r in answers:
        pid = r.json()["project_id"]
        for _ in range(60):
            project = ok(await urc.api.get(f"/api/v1/projects/{pid}", headers=urc.bureau))
            if project["funding_status"] == "delivered":
                break
            await asyncio.sleep(0.25)
        assert project["funding_status"] == "delivered"
    # Each plan reached finance once: created (201), never replayed (200) by a second relay.
    assert _funding_posts(stack, offsets) == Counter({201: len(pairs)})
    return len(pairs)


async def _client_loop(
    client: httpx.AsyncClient, bureau: dict[str, str], until: float, log: list[Any]
) -> None:
    while time.monotonic() < until:
        body = {"name": "Replica Co", "credit_code": credit_code(), "kind": "institute"}
        made = await client.post("/api/v1/organizations", json=body, headers=bureau)
        log.append(("write", made.status_code, made.json().get("id")))
        for path in ("/api/v1/organizations", "/api/v1/experts", "/api/v1/disbursements"):
            read = await client.get(path, params={"limit": 5}, headers=bureau)
            log.append(("read", read.status_code, None))


async def _kill_replicas(stack: Stack, delay: float) -> None:
    await asyncio.sleep(delay)
    for name in REPLICA_2:
        await asyncio.to_thread(kill, stack, name)


async def test_two_replicas_spread_survive_a_kill_and_deliver_once(auth: Auth) -> None:
    env = {"JIEBANG_OUTBOX_INTERVAL_SECONDS": "0.3", "JIEBANG_LOG_LEVEL": "INFO"}
    async with (
        own_stack("replicas", env=env, replicas=2) as stack,
        httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as client,
    ):
        bureau = auth("bureau", city=CITY)
        await _spread(client, bureau)
        delivered = await _relays_deliver_once(stack, Lifecycle(client, auth, city=CITY))

        log: list[Any] = []
        until = time.monotonic() + LOAD_SECONDS
        await asyncio.gather(
            *(_client_loop(client, bureau, until, log) for _ in range(CLIENTS)),
            _kill_replicas(stack, LOAD_SECONDS / 3),
        )
        reads = Counter(status for kind, status, _ in log if kind == "read")
        writes = Counter(status for kind, status, _ in log if kind == "write")
        assert set(reads) == {200}, reads  # every read in flight moved to the other replica
        assert set(writes) <= {201, 503} and writes[201] > 0, writes
        for _, status, org_id in log:
            if status == 201:  # told it succeeded: it is there
                ok(await client.get(f"/api/v1/organizations/{org_id}", headers=bureau))
        record_counts(
            "replicas",
            deliveries_by_two_relays=delivered,
            reads=dict(reads),
            writes=dict(writes),
            killed=list(REPLICA_2),
        )
