"""Every role × every intake endpoint, with another organisation's and another city's callers.

Columns: bureau, service, owner (the object's), owner2 (another owner), solver (the
application's lead), solver2 (another solver), expert (assigned nothing), auditor,
urumqi_bureau and urumqi_solver (another city; the latter even carries the lead's org_id,
which is refused everywhere: no membership of that organisation can exist in Urumqi).
"""

from typing import Any

import pytest

from tests.intake.conftest import IN_COLLECTION, IN_PUBLICATION, Flow, clock
from tests.intake.world import World, build, callers, org_body

COLUMNS = [
    "bureau",
    "service",
    "owner",
    "owner2",
    "solver",
    "solver2",
    "expert",
    "auditor",
    "urumqi_bureau",
    "urumqi_solver",
]

# (name, method, path, body, clock, expected statuses in COLUMNS order)
# fmt: off
MATRIX: list[tuple[str, str, str, Any, str | None, list[int]]] = [
    ("create_org", "POST", "/organizations", "org", None,
     [201, 403, 403, 403, 403, 403, 403, 403, 201, 403]),
    ("list_orgs", "GET", "/organizations", None, None,
     [200, 200, 403, 403, 403, 403, 403, 403, 200, 403]),
    ("read_org", "GET", "/organizations/{owner}", None, None,
     [200, 200, 200, 404, 404, 404, 403, 403, 404, 403]),
    ("patch_org", "PATCH", "/organizations/{owner}", {"name": "Renamed"}, None,
     [200, 403, 403, 403, 403, 403, 403, 403, 404, 403]),
    ("create_round", "POST", "/rounds", "round", None,
     [201, 403, 403, 403, 403, 403, 403, 403, 201, 403]),
    ("list_rounds", "GET", "/rounds", None, None,
     [200, 200, 200, 200, 200, 200, 200, 200, 200, 403]),
    ("read_round", "GET", "/rounds/{round}", None, None,
     [200, 200, 200, 200, 200, 200, 200, 200, 404, 403]),
    ("create_demand", "POST", "/demands", "demand", None,
     [403, 403, 201, 201, 403, 403, 403, 403, 403, 403]),
    ("list_demands", "GET", "/demands", None, None,
     [200, 200, 200, 200, 403, 403, 200, 403, 200, 403]),
    ("read_demand", "GET", "/demands/{draft}", None, None,
     [200, 200, 200, 404, 403, 403, 404, 403, 404, 403]),
    ("patch_demand", "PATCH", "/demands/{draft}", {"title": "Sharper"}, None,
     [403, 403, 200, 404, 403, 403, 403, 403, 403, 403]),
    ("submit_demand", "POST", "/demands/{draft}/submit", None, IN_COLLECTION,
     [200, 403, 200, 404, 403, 403, 403, 403, 404, 403]),
    ("publish_demand", "POST", "/demands/{vetted}/publish", None, IN_PUBLICATION,
     [201, 403, 403, 403, 403, 403, 403, 403, 404, 403]),
    ("list_challenges", "GET", "/challenges", None, None,
     [200, 200, 200, 200, 200, 200, 200, 200, 200, 403]),
    ("read_challenge", "GET", "/challenges/{challenge}", None, None,
     [200, 200, 200, 200, 200, 200, 200, 200, 404, 403]),
    ("results_public", "POST", "/challenges/{challenge}/results-public", None, None,
     [403, 200, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("create_application", "POST", "/challenges/{challenge}/applications", {}, IN_PUBLICATION,
     [403, 403, 403, 403, 409, 201, 403, 403, 404, 403]),
    ("list_applications", "GET", "/applications", None, None,
     [200, 200, 200, 200, 200, 200, 200, 403, 200, 403]),
    ("read_application", "GET", "/applications/{application}", None, None,
     [200, 200, 404, 404, 200, 404, 404, 403, 404, 403]),
    ("patch_application", "PATCH", "/applications/{application}", {"plan": "v2"},
     IN_PUBLICATION, [403, 403, 403, 403, 200, 404, 403, 403, 403, 403]),
    ("submit_application", "POST", "/applications/{application}/submit", None,
     IN_PUBLICATION, [403, 403, 403, 403, 200, 404, 403, 403, 403, 403]),
    ("withdraw_application", "POST", "/applications/{application}/withdraw", None,
     IN_PUBLICATION, [403, 403, 403, 403, 200, 404, 403, 403, 403, 403]),
]
# fmt: on

CASES = [
    pytest.param(name, method, path, body, at, column, statuses[i], id=f"{name}-{column}")
    for name, method, path, body, at, statuses in MATRIX
    for i, column in enumerate(COLUMNS)
]


def make_body(kind: Any, flow: Flow, w: World) -> Any:
    if kind == "org":
        return org_body()
    if kind == "round":
        return flow.round_body()
    if kind == "demand":
        return flow.demand_body(w.round)
    return kind


@pytest.mark.parametrize(("name", "method", "path", "body", "at", "column", "expected"), CASES)
async def test_access(
    flow: Flow,
    name: str,
    method: str,
    path: str,
    body: Any,
    at: str | None,
    column: str,
    expected: int,
) -> None:
    w = await build(flow)
    headers = {**callers(flow, w)[column], **(clock(at) if at else {})}
    url = "/api/v1" + path.format(**vars(w))
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None:
        kwargs["json"] = make_body(body, flow, w)
    response = await flow.api.request(method, url, **kwargs)
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")


LISTS = ["/organizations", "/rounds", "/demands", "/challenges", "/applications"]


@pytest.mark.parametrize("path", LISTS)
async def test_lists_never_leak_across_cities_or_organisations(flow: Flow, path: str) -> None:
    w = await build(flow)
    everyone = callers(flow, w)
    huzhou_ids = {
        item["id"]
        for item in (
            await flow.api.get(f"/api/v1{path}", params={"limit": 200}, headers=everyone["bureau"])
        ).json()["items"]
    }
    assert huzhou_ids
    for column in ("urumqi_bureau", "urumqi_solver"):
        response = await flow.api.get(
            f"/api/v1{path}", params={"limit": 200}, headers=everyone[column]
        )
        if response.status_code == 200:
            assert not {i["id"] for i in response.json()["items"]} & huzhou_ids
    if path == "/demands":
        other = await flow.api.get(f"/api/v1{path}", headers=everyone["owner2"])
        assert other.json()["items"] == []
    if path == "/applications":
        for column in ("owner", "owner2", "solver2", "expert"):
            listed = await flow.api.get(f"/api/v1{path}", headers=everyone[column])
            assert listed.json()["items"] == [], column
        mine = await flow.api.get(f"/api/v1{path}", headers=everyone["solver"])
        assert [a["id"] for a in mine.json()["items"]] == [w.application]
