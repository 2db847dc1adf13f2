"""Who may call which finance endpoint (every role × every endpoint), tenant isolation, and the
run-time database role's inability to rewrite the ledger."""

import itertools
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from common.bootstrap import _dsn
from common.db import service_url
from common.settings import Settings
from tests.conftest import Auth
from tests.finance.conftest import PlanMaker, key, plan_body

ROLES = ("demand_owner", "solver", "expert", "bureau", "auditor", "service")
READERS = {"bureau", "auditor", "service"}
X = "00000000-0000-4000-8000-000000000000"
# (method, path, body, roles that get past the access check)
ENDPOINTS: list[tuple[str, str, Any, set[str]]] = [
    ("POST", "/funding", "plan", {"service"}),
    ("GET", "/funding/{pid}", None, READERS | {"demand_owner", "solver"}),
    (
        "POST",
        "/funding/{pid}/acceptance",
        {"outcome": "passed", "audited_total_investment": "1.00"},
        {"service"},
    ),
    ("POST", "/disbursements", {"project_id": X, "tranche_seq": 1}, {"bureau"}),
    ("GET", "/disbursements", None, READERS),
    ("GET", f"/disbursements/{X}", None, READERS),
    ("POST", f"/disbursements/{X}/approve", None, {"bureau"}),
    ("POST", "/settlements", {"project_id": X}, {"bureau"}),
    ("GET", "/clawbacks", None, READERS),
    ("POST", f"/clawbacks/{X}/repayments", {"amount": "1.00"}, {"bureau"}),
    ("GET", "/ledger/entries", None, READERS),
    ("GET", "/ledger/balances", None, READERS),
    ("GET", "/ledger/verify", None, READERS),
    ("GET", "/reports/disbursements", None, READERS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS]
)
async def test_access_matrix(
    api: httpx.AsyncClient,
    auth: Auth,
    make_plan: PlanMaker,
    role: str,
    method: str,
    path: str,
    body: Any,
    allowed: set[str],
) -> None:
    plan = await make_plan()
    org = {"demand_owner": plan["body"]["owner_org_id"], "solver": plan["body"]["solver_org_id"]}
    headers = {**auth(role, org_id=org.get(role)), **key()}
    payload = plan_body() if body == "plan" else body
    response = await api.request(
        method, "/api/v1" + path.format(pid=plan["project_id"]), json=payload, headers=headers
    )
    if role in allowed:
        assert response.status_code not in (401, 403), response.text
        assert response.status_code < 500
    else:
        assert response.status_code == 403, response.text


async def test_another_citys_project_is_not_found(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    plan = await make_plan()
    pid = plan["project_id"]
    other = auth("bureau", city="urumqi")
    assert (await api.get(f"/api/v1/funding/{pid}", headers=other)).status_code == 404
    pay = await api.post(
        "/api/v1/disbursements",
        json={"project_id": pid, "tranche_seq": 1},
        headers={**other, **key()},
    )
    assert pay.status_code == 404
    settle = await api.post(
        "/api/v1/settlements", json={"project_id": pid}, headers={**other, **key()}
    )
    assert settle.status_code == 404
    acceptance = await api.post(
        f"/api/v1/funding/{pid}/acceptance",
        json={"outcome": "passed", "audited_total_investment": "1.00"},
        headers=auth("service", city="urumqi"),
    )
    assert acceptance.status_code == 404
    requested = await api.post(
        "/api/v1/disbursements",
        json={"project_id": pid, "tranche_seq": 1},
        headers={**auth("bureau"), **key()},
    )
    did = requested.json()["id"]
    assert (await api.get(f"/api/v1/disbursements/{did}", headers=other)).status_code == 404
    assert (
        await api.post(f"/api/v1/disbursements/{did}/approve", headers=other)
    ).status_code == 404
    listed = await api.get("/api/v1/disbursements", headers=other)
    assert did not in {d["id"] for d in listed.json()["items"]}


async def test_verify_reports_an_intact_chain_after_postings(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    for _ in range(3):
        plan = await make_plan("urumqi", bounty_amount="2000000.00")
        paid = await api.post(
            "/api/v1/disbursements",
            json={"project_id": plan["project_id"], "tranche_seq": 1},
            headers={**auth("bureau", city="urumqi"), **key()},
        )
        assert paid.json()["status"] == "paid"
    report = (await api.get("/api/v1/ledger/verify", headers=auth("auditor", city="urumqi"))).json()
    assert report["ok"] is True and report["first_broken"] is None
    assert report["entries_checked"] >= 6
    entries = (
        await api.get(
            "/api/v1/ledger/entries", params={"limit": 200}, headers=auth("auditor", city="urumqi")
        )
    ).json()["items"]
    by_seq = sorted(entries, key=lambda e: e["seq"])
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(by_seq))
    assert {e["side"] for e in entries} == {"debit", "credit"}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE finance.ledger_entries SET amount = amount + 1",
        "DELETE FROM finance.ledger_entries",
        "UPDATE finance.ledger_transactions SET actor = 'x'",
        "TRUNCATE finance.ledger_entries",
    ],
)
async def test_runtime_role_cannot_rewrite_the_ledger(settings: Settings, statement: str) -> None:
    conn = await asyncpg.connect(_dsn(service_url(settings, "finance")))
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(statement)
    finally:
        await conn.close()


async def test_idempotency_key_is_scoped_per_city(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    shared = {"Idempotency-Key": f"shared-{uuid.uuid4().hex}"}
    for city in ("huzhou", "urumqi"):
        plan = await make_plan(city)
        response = await api.post(
            "/api/v1/disbursements",
            json={"project_id": plan["project_id"], "tranche_seq": 1},
            headers={**auth("bureau", city=city), **shared},
        )
        assert response.status_code == 201 and response.json()["city"] == city
