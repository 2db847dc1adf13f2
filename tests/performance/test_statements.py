"""No N+1: a list answers with the same few SQL statements for 1 item as for 20, and a detail
with the same few whatever the object holds (``X-DB-Statements``, counted per request by the
service in test mode and forwarded by the gateway)."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.finance.conftest import key, plan_body
from tests.review.conftest import Lifecycle, ok

# Auth, tenant filter and page in one query, plus room for a dependency lookup (e.g. the caller's
# organisation) — a bound that holds at 1 item and fails at once if each item costs a query.
MOST = 4
# A detail loads its object and each relation it shows once (selectinload), plus access checks.
DETAIL_MOST = 8
BUREAU_B = "bureau-perf-b"

Grow = Callable[[Lifecycle, int], Awaitable[None]]


async def statements(api: httpx.AsyncClient, path: str, headers: dict[str, str]) -> tuple[int, Any]:
    response = await api.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return int(response.headers["x-db-statements"]), response.json()


async def _orgs(hz: Lifecycle, n: int) -> None:
    for _ in range(n):
        await hz.org()


async def _rounds(hz: Lifecycle, n: int) -> None:
    for _ in range(n):
        body = {
            "title": f"round {uuid.uuid4().hex[:6]}",
            "fields_open": ["biomedicine"],
            "collection_opens_at": "2025-03-01T09:00:00+08:00",
            "collection_closes_at": "2025-03-31T09:00:00+08:00",
            "publication_opens_at": "2025-04-01T09:00:00+08:00",
            "publication_closes_at": "2025-05-01T09:00:00+08:00",
        }
        ok(await hz.api.post("/api/v1/rounds", json=body, headers=hz.bureau), 201)


async def _experts(hz: Lifecycle, n: int) -> None:
    await hz.experts(n)


async def _challenges(hz: Lifecycle, n: int) -> None:
    owner = await hz.org()
    for _ in range(n):
        await hz.challenge(owner)


async def _plans(hz: Lifecycle, n: int) -> list[str]:
    await hz.budget()
    projects = []
    for _ in range(n):
        body = plan_body()
        ok(await hz.api.post("/api/v1/funding", json=body, headers=hz.as_("service")), 201)
        projects.append(str(body["project_id"]))
    return projects


async def _disbursements(hz: Lifecycle, n: int) -> None:
    for project in await _plans(hz, n):
        body = {"project_id": project, "tranche_seq": 1}
        paid = await hz.api.post("/api/v1/disbursements", json=body, headers={**hz.bureau, **key()})
        ok(paid, 201)
        approver = hz.as_("bureau", sub=BUREAU_B)
        ok(
            await hz.api.post(
                f"/api/v1/disbursements/{paid.json()['id']}/approve", headers=approver
            )
        )


LISTS: dict[str, tuple[str, Grow]] = {
    "organizations": ("/api/v1/organizations", _orgs),
    "rounds": ("/api/v1/rounds", _rounds),
    "experts": ("/api/v1/experts", _experts),
    "challenges": ("/api/v1/challenges", _challenges),
    "demands": ("/api/v1/demands", _challenges),
    "disbursements": ("/api/v1/disbursements", _disbursements),
    "ledger entries": ("/api/v1/ledger/entries", _disbursements),
}


@pytest.mark.parametrize("name", list(LISTS))
async def test_a_list_costs_the_same_statements_for_1_and_20_items(
    api: httpx.AsyncClient, auth: Any, name: str
) -> None:
    path, grow = LISTS[name]
    hz = Lifecycle(api, auth)
    await grow(hz, 1)
    one, first = await statements(api, path, hz.bureau)
    await grow(hz, 19)
    twenty, page = await statements(api, path, hz.bureau)
    assert len(page["items"]) >= len(first["items"]) + 19
    assert twenty == one <= MOST, (one, twenty)


async def _applications(hz: Lifecycle, n: int, challenge: dict[str, Any]) -> list[str]:
    member = await hz.org(kind="university")
    return [await hz.application(challenge["id"], await hz.org(), member) for _ in range(n)]


async def test_applications_list_and_detail_do_not_grow_with_the_challenge(
    api: httpx.AsyncClient, auth: Any
) -> None:
    hz = Lifecycle(api, auth)
    challenge = await hz.challenge(await hz.org())
    [first] = await _applications(hz, 1, challenge)
    path = f"/api/v1/applications?challenge_id={challenge['id']}"
    one, _ = await statements(api, path, hz.bureau)
    detail_one, _ = await statements(api, f"/api/v1/applications/{first}", hz.bureau)
    await _applications(hz, 19, challenge)
    twenty, page = await statements(api, path, hz.bureau)
    detail_twenty, _ = await statements(api, f"/api/v1/applications/{first}", hz.bureau)
    assert len(page["items"]) == 20
    assert twenty == one <= MOST, (one, twenty)
    assert detail_twenty == detail_one <= MOST, (detail_one, detail_twenty)


async def test_panel_detail_costs_the_same_for_1_and_20_applications(
    api: httpx.AsyncClient, auth: Any
) -> None:
    counts = []
    for n in (1, 20):
        hz = Lifecycle(api, auth)
        challenge = await hz.challenge(await hz.org())
        await _applications(hz, n, challenge)
        experts = await hz.experts(5)
        panel = ok(
            await hz.panel(challenge["round_id"], "meeting_review", [challenge["id"]], experts), 201
        )
        count, read = await statements(api, f"/api/v1/panels/{panel['id']}", hz.bureau)
        assert len(read["entries"]) == n
        counts.append(count)
    assert counts[0] == counts[1] <= DETAIL_MOST, counts


@pytest.mark.parametrize(
    "path",
    ["/api/v1/demands/{demand}", "/api/v1/challenges/{challenge}", "/api/v1/funding/{project}"],
)
async def test_a_detail_is_a_few_statements(api: httpx.AsyncClient, auth: Any, path: str) -> None:
    hz = Lifecycle(api, auth)
    challenge = await hz.challenge(await hz.org())
    [project] = await _plans(hz, 1)
    url = path.format(demand=challenge["demand_id"], challenge=challenge["id"], project=project)
    count, _ = await statements(api, url, hz.bureau)
    assert count <= DETAIL_MOST, count
