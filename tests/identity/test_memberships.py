"""Who acts for which organisation is the platform's record: the bureau registers, suspends
and reactivates memberships (audited, naming the person); an ``org_id`` claim alone is
never trusted, on any write of any service."""

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from services.intake.db import AuditLog
from tests.intake.conftest import Flow, review  # noqa: F401  (the review stub fixture)

NOWHERE = "00000000-0000-0000-0000-00000000abcd"
# Every write an owner or solver can reach through the gateway, in all three services.
WRITES = [
    ("POST", "/api/v1/demands"),
    ("PATCH", f"/api/v1/demands/{NOWHERE}"),
    ("POST", f"/api/v1/demands/{NOWHERE}/submit"),
    ("POST", f"/api/v1/challenges/{NOWHERE}/applications"),
    ("PATCH", f"/api/v1/applications/{NOWHERE}"),
    ("POST", f"/api/v1/applications/{NOWHERE}/submit"),
    ("POST", f"/api/v1/applications/{NOWHERE}/withdraw"),
    ("POST", "/api/v1/objections"),
    ("POST", f"/api/v1/results/{NOWHERE}/choice"),
    ("POST", f"/api/v1/projects/{NOWHERE}/changes"),
    ("POST", "/api/v1/vettings"),
]


@pytest.fixture
def flow(api: httpx.AsyncClient, auth: Any, review: Any) -> Flow:  # noqa: F811
    return Flow(api, auth, review)


async def _register(flow: Flow, subject: str, role: str, org_id: str, **kw: Any) -> Any:
    body = {"subject": subject, "role": role, "org_id": org_id, **kw}
    return await flow.api.post("/api/v1/memberships", json=body, headers=flow.bureau)


@pytest.mark.parametrize(
    ("role", "method", "path"),
    [
        (role, method, path)
        for role in ("demand_owner", "solver")
        for method, path in WRITES
        if (role, path) != ("solver", "/api/v1/vettings")  # the gateway refuses the role
    ],
)
async def test_an_org_claim_without_membership_is_403_on_every_write(
    flow: Flow, role: str, method: str, path: str
) -> None:
    org = await flow.org()
    headers = flow.auth(role, org_id=org["id"], member=False)
    response = await flow.api.request(method, path, json={}, headers=headers)
    assert response.status_code == 403, response.text
    assert response.json()["code"] == "membership.inactive"


async def test_membership_life_suspension_is_immediate_and_audited(flow: Flow, apps: Any) -> None:
    org = await flow.org()
    round_ = await flow.round()
    created = await _register(flow, "wang-fang", "demand_owner", org["id"], person_name="王芳")
    assert created.status_code == 201, created.text
    membership = created.json()
    assert membership["status"] == "active" and membership["person_name"] == "王芳"
    assert (await _register(flow, "wang-fang", "demand_owner", org["id"])).status_code == 409
    unknown = await _register(flow, "wang-fang", "demand_owner", str(uuid.uuid4()))
    assert unknown.status_code == 422

    # No org_id in the token: the single active membership is who she acts for.
    wang = flow.auth("demand_owner", sub="wang-fang")
    body = flow.demand_body(round_["id"])
    demand = await flow.api.post("/api/v1/demands", json=body, headers=wang)
    assert demand.status_code == 201, demand.text
    assert demand.json()["owner_org_id"] == org["id"]

    url = f"/api/v1/memberships/{membership['id']}"
    staff = {**flow.bureau}
    suspend = {"status": "suspended", "reason": "left the company"}
    assert (await flow.api.patch(url, json=suspend, headers=staff)).json()["status"] == "suspended"
    refused = await flow.api.post("/api/v1/demands", json=body, headers=wang)
    assert refused.status_code == 403 and refused.json()["code"] == "membership.required"
    named = flow.auth("demand_owner", sub="wang-fang", org_id=org["id"], member=False)
    assert (
        await flow.api.get(f"/api/v1/demands/{demand.json()['id']}", headers=named)
    ).status_code == 403

    assert (await flow.api.patch(url, json={"status": "active"}, headers=staff)).status_code == 200
    assert (await flow.api.post("/api/v1/demands", json=body, headers=wang)).status_code == 201

    listed = await flow.api.get("/api/v1/memberships", params={"org_id": org["id"]}, headers=staff)
    assert [m["subject"] for m in listed.json()["items"]] == ["wang-fang"]
    async with apps.services["intake"].state.sessionmaker() as session:
        rows = (
            await session.execute(
                select(AuditLog)
                .where(AuditLog.entity_id == uuid.UUID(membership["id"]))
                .order_by(AuditLog.at)
            )
        ).scalars()
        trail = [(r.action, r.data["person_name"], r.reason) for r in rows]
    assert trail == [
        ("register", "王芳", None),
        ("suspend", "王芳", "left the company"),
        ("reactivate", "王芳", None),
    ]


async def test_several_memberships_need_the_token_to_name_one(flow: Flow) -> None:
    first, second = await flow.org(), await flow.org()
    round_ = await flow.round()
    for org in (first, second):
        assert (await _register(flow, "li-lei", "demand_owner", org["id"])).status_code == 201
    body = flow.demand_body(round_["id"])
    unnamed = flow.auth("demand_owner", sub="li-lei")
    refused = await flow.api.post("/api/v1/demands", json=body, headers=unnamed)
    assert refused.status_code == 403 and refused.json()["code"] == "membership.ambiguous"
    named = flow.auth("demand_owner", sub="li-lei", org_id=second["id"], member=False)
    created = await flow.api.post("/api/v1/demands", json=body, headers=named)
    assert created.status_code == 201 and created.json()["owner_org_id"] == second["id"]


async def test_a_role_is_its_own_membership(flow: Flow) -> None:
    """A demand owner's membership does not make the same person a solver of that org."""
    org = await flow.org()
    assert (await _register(flow, "zhou-jie", "demand_owner", org["id"])).status_code == 201
    solver = flow.auth("solver", sub="zhou-jie", org_id=org["id"], member=False)
    response = await flow.api.post(
        f"/api/v1/applications/{NOWHERE}/submit", json={}, headers=solver
    )
    assert response.status_code == 403 and response.json()["code"] == "membership.inactive"


@pytest.mark.parametrize("role", ["demand_owner", "solver", "expert", "auditor"])
async def test_only_the_bureau_manages_memberships(flow: Flow, role: str) -> None:
    org = await flow.org()
    body = {"subject": "x", "role": "solver", "org_id": org["id"]}
    response = await flow.api.post("/api/v1/memberships", json=body, headers=flow.auth(role))
    assert response.status_code == 403
    listing = await flow.api.get("/api/v1/memberships", headers=flow.auth(role))
    assert listing.status_code == 403


async def test_services_ask_which_organisations_are_active(flow: Flow) -> None:
    org = await flow.org()
    await _register(flow, "sun-li", "solver", org["id"])
    params = {"subject": "sun-li", "role": "solver"}
    answer = await flow.api.get(
        "/api/v1/memberships/active", params=params, headers=flow.auth("service")
    )
    assert answer.json() == {"org_ids": [org["id"]]}
    bureau = await flow.api.get("/api/v1/memberships/active", params=params, headers=flow.bureau)
    assert bureau.status_code == 403
