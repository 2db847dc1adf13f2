"""The outbox relay delivers a funding plan that failed while finance was down, without anyone
reading the project again, and a second relay pass sends nothing twice."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from services.review.outbox.service import relay_once
from tests.review.conftest import AFTER_PUBLICITY, REVIEW_TIME, Lifecycle, ok
from tests.review.test_flow_urumqi import _consents, _reviewed


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
            },
        ),
        201,
    )
    return str(decision["project_id"])


async def test_relay_delivers_the_pending_plan_once(hz: Lifecycle, apps: Any) -> None:
    urc = Lifecycle(hz.api, hz.auth, city="urumqi")
    await urc.budget()
    async with finance_down(apps):
        pid = await approve_urumqi(urc)
    bureau_finance = urc.auth("bureau", city="urumqi")
    assert (await urc.api.get(f"/api/v1/funding/{pid}", headers=bureau_finance)).status_code == 404

    review = apps.services["review"]
    delivered = await relay_once(review.state.sessionmaker, review.state.services)
    assert delivered >= 1
    plan = ok(await urc.api.get(f"/api/v1/funding/{pid}", headers=bureau_finance))
    assert plan["project_id"] == pid

    assert await relay_once(review.state.sessionmaker, review.state.services) == 0
    project = ok(await urc.api.get(f"/api/v1/projects/{pid}", headers=urc.bureau))
    assert project["funding_status"] == "delivered"
