"""Real processes through the real gateway: both cities' flows, and 100 parallel score
submissions that keep exactly one score per (expert, application) and lock out after close."""

import asyncio
from typing import Any

import httpx
import pytest

from tests.review.conftest import Lifecycle, ok
from tests.review.test_flow_huzhou import _reviewed as hz_reviewed
from tests.review.test_flow_urumqi import _consents
from tests.review.test_flow_urumqi import _reviewed as urc_reviewed

pytestmark = pytest.mark.e2e


@pytest.fixture
async def client(live: Any) -> Any:
    async with httpx.AsyncClient(base_url=live.gateway_url, timeout=60) as c:
        yield c


async def test_live_huzhou_review_results(client: httpx.AsyncClient, auth: Any) -> None:
    hz = Lifecycle(client, auth)
    s = await hz_reviewed(hz)
    results = ok(
        await client.get(
            "/api/v1/results", headers=hz.bureau, params={"challenge_id": s["challenge"]["id"]}
        )
    )
    assert sum(r["winner"] for r in results["items"]) == 1


async def test_live_urumqi_horse_race_to_project(client: httpx.AsyncClient, auth: Any) -> None:
    from tests.review.conftest import AFTER_PUBLICITY, REVIEW_TIME

    urc = Lifecycle(client, auth, city="urumqi")
    s = await urc_reviewed(urc, n_apps=2)
    cid = s["challenge"]["id"]
    ok(
        await client.post(
            f"/api/v1/results/{cid}/horse-race",
            headers=urc.bureau,
            json={"consents": _consents(s["apps"])},
        )
    )
    ok(await client.post(f"/api/v1/results/{cid}/publicity", headers={**urc.bureau, **REVIEW_TIME}))
    decision = ok(
        await client.post(
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
    project = ok(await client.get(f"/api/v1/projects/{decision['project_id']}", headers=urc.bureau))
    assert project["funding_status"] in {"pending", "delivered"}


async def test_100_parallel_scores_keep_one_score_per_member(
    client: httpx.AsyncClient, auth: Any
) -> None:
    urc = Lifecycle(client, auth, city="urumqi")
    owner = await urc.org()
    challenge = await urc.challenge(owner)
    app = await urc.application(challenge["id"], await urc.org())
    experts = await urc.experts(5)
    panel = ok(
        await urc.panel(challenge["round_id"], "plan_review", [challenge["id"]], experts), 201
    )

    async def put(i: int) -> int:
        r = await client.put(
            f"/api/v1/panels/{panel['id']}/scores/{app}",
            json={"score": f"{50 + i % 50}", "comment": f"round {i}"},
            headers=urc.expert(experts[i % 5]),
        )
        return r.status_code

    codes = await asyncio.gather(*(put(i) for i in range(100)))
    assert set(codes) == {204}, codes
    full = ok(await client.get(f"/api/v1/panels/{panel['id']}", headers=urc.bureau))
    assert sorted(s["expert_id"] for s in full["scores"]) == sorted(experts)
    closed = ok(await client.post(f"/api/v1/panels/{panel['id']}/close", headers=urc.bureau))
    assert closed["status"] == "closed"
    late = await put(0)
    assert late == 409
