"""The ``provincial`` role reads across the cities of its province (the province of a city is
its rule set's ``province``): challenges, results, projects, funding, ledger, reports — never
a write, never another province's city, never another kind of object — and every read is in
the answering service's audit trail."""

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from common.auth import CITY_HEADER
from services.finance.db import AuditLog
from tests.conftest import Auth
from tests.finance.conftest import PlanMaker, key, make_plan  # noqa: F401


def _province(auth: Auth, city: str, sub: str = "zj-platform") -> dict[str, str]:
    return {**auth("provincial", city="zhejiang", sub=sub), CITY_HEADER: city}


async def test_reads_funding_and_ledger_of_its_cities_audited(
    api: httpx.AsyncClient,
    auth: Auth,
    make_plan: PlanMaker,  # noqa: F811
    apps: Any,
) -> None:
    plan = await make_plan("huzhou")
    project = plan["body"]["project_id"]
    reader = _province(auth, "huzhou", sub="zj-reader-1")
    funding = await api.get(f"/api/v1/funding/{project}", headers=reader)
    assert funding.status_code == 200 and funding.json()["project_id"] == project
    assert (await api.get("/api/v1/ledger/entries", headers=reader)).status_code == 200
    assert (await api.get("/api/v1/challenges", headers=reader)).status_code == 200
    # Results and projects: the role passes; an unknown object is simply not found.
    assert (await api.get(f"/api/v1/projects/{project}", headers=reader)).status_code == 404

    async with apps.services["finance"].state.sessionmaker() as session:
        rows = (
            await session.execute(
                select(AuditLog).where(
                    AuditLog.actor == "zj-reader-1", AuditLog.entity == "provincial_read"
                )
            )
        ).scalars()
        paths = sorted(r.data["path"] for r in rows)
    assert paths == ["/api/v1/funding/" + project, "/api/v1/ledger/entries"]


async def test_another_provinces_city_is_refused(api: httpx.AsyncClient, auth: Auth) -> None:
    for city in ("urumqi", "atlantis", ""):
        response = await api.get("/api/v1/ledger/entries", headers=_province(auth, city))
        assert response.status_code == 403, (city, response.text)
        assert response.json()["code"] == "provincial.city"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/disbursements"),
        ("POST", "/api/v1/funding"),
        ("POST", "/api/v1/objections"),
        ("PATCH", "/api/v1/demands/00000000-0000-0000-0000-000000000001"),
        ("GET", "/api/v1/organizations"),
        ("GET", "/api/v1/demands"),
        ("GET", "/api/v1/disbursements"),
        ("GET", "/api/v1/memberships"),
    ],
)
async def test_never_writes_nor_reads_beyond_its_list(
    api: httpx.AsyncClient, auth: Auth, method: str, path: str
) -> None:
    response = await api.request(
        method, path, json={}, headers={**_province(auth, "huzhou"), **key()}
    )
    assert response.status_code == 403, response.text


async def test_a_service_refuses_a_provincial_write_on_its_own(apps: Any, auth: Auth) -> None:
    """Defence in depth: past the gateway, the service itself refuses the write."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=apps.services["finance"]), base_url="http://svc"
    ) as finance:
        response = await finance.post(
            "/api/v1/disbursements", json={}, headers={**_province(auth, "huzhou"), **key()}
        )
    assert response.status_code == 403 and response.json()["code"] == "provincial.read_only"


async def test_dev_token_for_a_provincial_user_names_the_province(api: httpx.AsyncClient) -> None:
    body = {"sub": "zj-dev", "role": "provincial", "city": "zhejiang"}
    minted = await api.post("/api/v1/auth/dev-token", json=body)
    assert minted.status_code == 200
    headers = {"Authorization": f"Bearer {minted.json()['access_token']}", CITY_HEADER: "huzhou"}
    assert (await api.get("/api/v1/ledger/entries", headers=headers)).status_code == 200
    body["city"] = "atlantis"
    assert (await api.post("/api/v1/auth/dev-token", json=body)).status_code == 404
