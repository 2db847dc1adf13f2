"""Security beyond the gateway: each service refuses forged identities when reached directly,
the gateway limits token minting and writes, bodies are capped at the service too, the auditor
writes nowhere, and no path of the spec shows one city's objects to another city's users."""

import json
import re
import uuid
from typing import Any

import httpx
import pytest

from common.settings import ROOT, SERVICES, Settings
from tests.conftest import Auth
from tests.foundation.test_gateway_auth import ATTACKS
from tests.reliability.conftest import record_counts
from tests.review.conftest import AFTER_PUBLICITY, REVIEW_TIME, Lifecycle, ok
from tests.review.test_flow_huzhou import _reviewed

SPEC = json.loads((ROOT / "openapi" / "gateway.json").read_text())
WRITES = ("post", "put", "patch", "delete")
ROLES = ("bureau", "demand_owner", "solver", "expert", "auditor", "service")
# One path per service that every role may reach past the role check, and one it may not.
DIRECT = {
    "intake": "/api/v1/rounds",
    "review": "/api/v1/experts",
    "finance": "/api/v1/ledger/entries",
}


@pytest.mark.e2e
@pytest.mark.parametrize("attack", sorted(ATTACKS))
@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_reached_directly_refuses_forged_tokens(
    live: Any, service: str, attack: str
) -> None:
    async with httpx.AsyncClient(base_url=live.url(service), timeout=10) as client:
        response = await client.get(
            DIRECT[service], headers={"Authorization": f"Bearer {ATTACKS[attack]}"}
        )
    assert response.status_code == 401, response.text
    assert response.headers["x-served-by"] == service


@pytest.mark.e2e
@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_reached_directly_caps_the_body(
    live: Any, auth: Auth, service: str
) -> None:
    big = b'{"name": "' + b"x" * (Settings().max_body_bytes + 1) + b'"}'
    async with httpx.AsyncClient(base_url=live.url(service), timeout=10) as client:
        response = await client.post(
            DIRECT[service],
            content=big,
            headers={**auth("bureau"), "Content-Type": "application/json"},
        )
    assert response.status_code == 413, response.text
    assert response.json()["code"] == "request.too_large"


def _operations(methods: tuple[str, ...]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in SPEC["paths"].items()
        for method, op in item.items()
        if method in methods
    ]


def _fill(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"{(\w+)}", lambda m: ids.get(m.group(1), str(uuid.uuid4())), path)


@pytest.mark.e2e
async def test_the_auditor_writes_nowhere(live: Any, auth: Auth) -> None:
    auditor = {**auth("auditor"), "Idempotency-Key": f"audit-{uuid.uuid4().hex}"}
    answers = {}
    async with httpx.AsyncClient(base_url=live.gateway_url, timeout=30) as client:
        for method, path, _ in _operations(WRITES):
            if path == "/api/v1/auth/dev-token":
                continue  # minting a dev token is not a write to the platform's data
            response = await client.request(
                method.upper(), _fill(path, {}), headers=auditor, json={}
            )
            answers[f"{method.upper()} {path}"] = response.status_code
    allowed = {k: v for k, v in answers.items() if v not in (403, 404)}
    assert not allowed, allowed
    record_counts("auditor_writes", operations=len(answers), refused=len(answers) - len(allowed))


async def _huzhou_world(client: httpx.AsyncClient, auth: Auth) -> dict[str, str]:
    """Real objects of every kind in Huzhou, created through the API."""
    hz = Lifecycle(client, auth)
    s = await _reviewed(hz)
    cid = s["challenge"]["id"]
    meeting = await hz.propose(cid, s["apps"][1])
    ok(await client.post(f"/api/v1/results/{cid}/publicity", headers={**hz.bureau, **REVIEW_TIME}))
    decision = ok(
        await client.post(
            "/api/v1/decisions",
            json={"challenge_id": cid, "application_id": s["apps"][1], "outcome": "approve"},
            headers={**hz.bureau, **AFTER_PUBLICITY},
        ),
        201,
    )
    pid = str(decision["project_id"])
    paid = ok(
        await client.post(
            "/api/v1/disbursements",
            json={"project_id": pid, "tranche_seq": 1},
            headers={**hz.bureau, "Idempotency-Key": f"walk-{uuid.uuid4().hex}"},
        ),
        201,
    )
    return {
        "org_id": s["owner"],
        "round_id": s["challenge"]["round_id"],
        "demand_id": s["challenge"]["demand_id"],
        "challenge_id": cid,
        "application_id": s["apps"][1],
        "expert_id": s["experts"][0],
        "panel_id": s["panels"]["meeting_review"]["id"],
        "project_id": pid,
        "disbursement_id": paid["id"],
        "meeting_id": meeting["id"],
        "year": "2025",
        "city": "huzhou",
    }


def _foreign_tokens(auth: Auth, ids: dict[str, str]) -> dict[str, dict[str, str]]:
    """Urumqi users who carry the Huzhou identities (same org ids, same expert id)."""
    org = {"demand_owner": ids["org_id"], "solver": ids["org_id"]}
    return {
        role: auth(
            role,
            city="urumqi",
            org_id=org.get(role),
            sub=ids["expert_id"] if role == "expert" else None,
        )
        for role in ROLES
    }


@pytest.mark.e2e
async def test_no_path_shows_a_huzhou_object_to_urumqi(live: Any, auth: Auth) -> None:
    async with httpx.AsyncClient(base_url=live.gateway_url, timeout=30) as client:
        ids = await _huzhou_world(client, auth)
        secret = {v for k, v in ids.items() if k not in ("city", "year")}
        leaks: list[tuple[str, str, int, Any]] = []
        walked = 0
        for _, path, op in _operations(("get",)):
            if path in ("/api/v1/cities/{city}/ruleset", "/api/v1/me"):
                continue  # public policy text; the caller's own token claims echoed back
            url = _fill(path, ids)
            params = {
                p["name"]: ids[p["name"]]
                for p in op.get("parameters", [])
                if p.get("in") == "query" and p["name"] in ids
            }
            for role, headers in _foreign_tokens(auth, ids).items():
                response = await client.get(url, params=params, headers=headers)
                walked += 1
                shown = sorted(i for i in secret if i in response.text)
                refused = response.status_code in (401, 403, 404)
                if ("{" in path and not refused) or (response.status_code < 300 and shown):
                    leaks.append((role, path, response.status_code, shown))
                elif response.status_code >= 500 or response.status_code == 422:
                    leaks.append((role, path, response.status_code, response.text[:200]))
        assert not leaks, leaks
        record_counts("cross_city_walk", requests=walked, leaks=len(leaks))
