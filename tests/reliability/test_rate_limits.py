"""Rate limits at the gateway: dev-token minting per client address, writes per token
subject (``write_rate_per_minute``; service calls exempt), each a 429 problem with Retry-After."""

from typing import Any

import httpx
import pytest

from common.settings import Settings
from gateway.app import create_app
from gateway.proxy import Upstreams
from tests.conftest import Apps, Auth


async def test_dev_token_minting_is_rate_limited_per_client() -> None:
    app = create_app(Settings(env="test", dev_token_rate_per_minute=3))
    body = {"sub": "a", "role": "bureau", "city": "huzhou"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        codes = [(await client.post("/api/v1/auth/dev-token", json=body)) for _ in range(4)]
    assert [r.status_code for r in codes] == [200, 200, 200, 429]
    assert codes[-1].headers["content-type"] == "application/problem+json"
    assert 0 < int(codes[-1].headers["retry-after"]) <= 60


@pytest.fixture
async def limited(api: httpx.AsyncClient, apps: Apps) -> Any:
    """An in-process gateway allowing 3 writes a minute per subject, in front of the real
    service apps (inside the ``api`` fixture's rolled-back transactions)."""
    settings = Settings(env="test", write_rate_per_minute=3)
    gateway = create_app(settings)
    upstreams = Upstreams(settings)
    for s, service_app in apps.services.items():
        await upstreams.clients[s].aclose()
        upstreams.clients[s] = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=service_app), base_url=f"http://{s}"
        )
    gateway.state.upstreams = upstreams
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=gateway), base_url="http://gw"
    ) as client:
        yield client
    await upstreams.aclose()


async def test_writes_are_limited_per_subject(limited: httpx.AsyncClient, auth: Auth) -> None:
    heavy, other = auth("bureau", sub="heavy-writer"), auth("bureau", sub="someone-else")
    body = {"name": "org", "credit_code": "x", "kind": "enterprise"}
    answers = [
        await limited.post("/api/v1/organizations", json=body, headers=heavy) for _ in range(4)
    ]
    assert [a.status_code for a in answers][:3] == [answers[0].status_code] * 3
    assert answers[0].status_code != 429
    refused = answers[3]
    assert refused.status_code == 429, refused.text
    assert refused.json()["code"] == "rate_limited"
    assert 0 < int(refused.headers["retry-after"]) <= 60
    assert (await limited.get("/api/v1/organizations", headers=heavy)).status_code == 200
    assert (
        await limited.post("/api/v1/organizations", json=body, headers=other)
    ).status_code != 429
    service = auth("service")
    for _ in range(4):
        assert (await limited.post("/api/v1/funding", json={}, headers=service)).status_code != 429
