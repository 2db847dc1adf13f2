"""The outbox: nothing reaches finance before review commits; the relay delivers what failed
(finance down) without anyone reading the project, never twice; a delivery finance keeps
refusing backs off behind the others, is dead-lettered after the configured attempts, shows in
the bureau's view and arrives after a reasoned retry; a read never sends anything."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from services.review.outbox.service import DEAD_LETTERS, relay_once
from tests.review.conftest import AFTER_PUBLICITY, REVIEW_TIME, Lifecycle, ok
from tests.review.test_flow_urumqi import _consents, _reviewed


@asynccontextmanager
async def finance_refusing(apps: Any, poison: str) -> AsyncIterator[None]:
    """Finance answers 422 to any call whose body names ``poison``; others pass through."""
    upstreams = apps.gateway.state.upstreams
    real = upstreams.clients["finance"]
    finance = httpx.ASGITransport(app=apps.services["finance"])

    async def handle(request: httpx.Request) -> httpx.Response:
        if poison in request.content.decode():
            return httpx.Response(422, json={"code": "poison", "title": "x", "status": 422})
        return await finance.handle_async_request(request)

    upstreams.clients["finance"] = httpx.AsyncClient(
        transport=httpx.MockTransport(handle), base_url="http://finance"
    )
    try:
        yield
    finally:
        upstreams.clients["finance"] = real


@asynccontextmanager
async def finance_down(apps: Any) -> AsyncIterator[None]:
    """Every call the gateway makes to finance fails to connect until the block ends."""
    upstreams = apps.gateway.state.upstreams
    real = upstreams.clients["finance"]

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("finance down", request=request)

    upstreams.clients["finance"] = httpx.AsyncClient(
        transport=httpx.MockTransport(refuse), base_url="http://finance"
    )
    try:
        yield
    finally:
        await upstreams.clients["finance"].aclose()
        upstreams.clients["finance"] = real


async def approve_urumqi(urc: Lifecycle) -> str:
    """A reviewed Urumqi horse race of one, approved after publicity; the project's id."""
    s = await _reviewed(urc, n_apps=1)
    cid = s["challenge"]["id"]
    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/horse-race",
            headers=urc.bureau,
            json={"consents": _consents(s["apps"])},
        )
    )
    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/publicity", headers={**urc.bureau, **REVIEW_TIME}
        )
    )
    decision = ok(
        await urc.api.post(
            "/api/v1/decisions",
            headers={**urc.bureau, **AFTER_PUBLICITY},
            json={
                "challenge_id": cid,
                "application_id": s["apps"][0],
                "outcome": "approve",
                "agreement_signed_at": "2025-05-01T10:00:00+08:00",
                "documents": await urc.files("agreement"),
            },
        ),
        201,
    )
    return str(decision["project_id"])


async def test_relay_delivers_the_pending_plan_once_and_reads_send_nothing(
    hz: Lifecycle, apps: Any
) -> None:
    urc = Lifecycle(hz.api, hz.auth, city="urumqi")
    await urc.budget()
    async with finance_down(apps):
        pid = await approve_urumqi(urc)
    bureau_finance = urc.auth("bureau", city="urumqi")
    assert (await urc.api.get(f"/api/v1/funding/{pid}", headers=bureau_finance)).status_code == 404
    project = ok(await urc.api.get(f"/api/v1/projects/{pid}", headers=urc.bureau))
    assert project["funding_status"] == "pending"  # finance is up again: a read sent nothing
    assert (await urc.api.get(f"/api/v1/funding/{pid}", headers=bureau_finance)).status_code == 404

    review = apps.services["review"]
    relay = (review.state.sessionmaker, review.state.services, _fast(review))
    await asyncio.sleep(review.state.settings.outbox_backoff_base_seconds)  # backed off once
    assert await relay_once(*relay) >= 1
    plan = ok(await urc.api.get(f"/api/v1/funding/{pid}", headers=bureau_finance))
    assert plan["project_id"] == pid
    assert await relay_once(*relay) == 0
    project = ok(await urc.api.get(f"/api/v1/projects/{pid}", headers=urc.bureau))
    assert project["funding_status"] == "delivered"


def _fast(review: Any, attempts: int = 3) -> Any:
    """The review app's settings with a tiny backoff and ``attempts`` attempts."""
    return review.state.settings.model_copy(
        update={
            "outbox_backoff_base_seconds": 0.001,
            "outbox_backoff_max_seconds": 0.002,
            "outbox_max_attempts": attempts,
        }
    )


async def test_a_poison_delivery_is_dead_lettered_and_a_reasoned_retry_delivers_it(
    hz: Lifecycle, apps: Any
) -> None:
    urc = Lifecycle(hz.api, hz.auth, city="urumqi")
    await urc.budget()
    review = apps.services["review"]
    relay = (review.state.sessionmaker, review.state.services, _fast(review))
    async with finance_down(apps):
        poison, healthy = await approve_urumqi(urc), await approve_urumqi(urc)
    dead_before = sum(DEAD_LETTERS.values())
    await asyncio.sleep(review.state.settings.outbox_backoff_base_seconds)  # both due again
    async with finance_refusing(apps, poison):
        for _ in range(4):
            await relay_once(*relay)
            await asyncio.sleep(0.01)
        dead = ok(await urc.api.get("/api/v1/deliveries?status=dead", headers=urc.bureau))
        assert [d["project_id"] for d in dead["items"]] == [poison]
        assert dead["items"][0]["attempts"] == 3 and "HTTP 422" in dead["items"][0]["last_error"]
        assert sum(DEAD_LETTERS.values()) == dead_before + 1
        project = ok(await urc.api.get(f"/api/v1/projects/{healthy}", headers=urc.bureau))
        assert project["funding_status"] == "delivered"
        assert await relay_once(*relay) == 0  # a dead letter is not retried by itself

        url = f"/api/v1/deliveries/{dead['items'][0]['id']}/retry"
        refused = await urc.api.post(url, headers=urc.bureau, json={})
        assert refused.status_code == 422  # a retry needs its reason
        retried = ok(await urc.api.post(url, headers=urc.bureau, json={"reason": "finance fixed"}))
        assert retried["status"] == "pending" and retried["attempts"] == 0
    # Its attempt right after the retry's commit met the refusal: it backs off once more.
    await asyncio.sleep(review.state.settings.outbox_backoff_base_seconds)
    await relay_once(*relay)
    project = ok(await urc.api.get(f"/api/v1/projects/{poison}", headers=urc.bureau))
    assert project["funding_status"] == "delivered"
    left = ok(await urc.api.get("/api/v1/deliveries", headers=urc.bureau))
    assert poison not in [d["project_id"] for d in left["items"]]
