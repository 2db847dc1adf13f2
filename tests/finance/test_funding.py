"""Funding plans through the in-process gateway: computed from the rule set, idempotent."""

import uuid

import httpx

from tests.conftest import Auth
from tests.finance.conftest import PlanMaker, plan_body


async def test_huzhou_plan_is_the_worked_example(make_plan: PlanMaker) -> None:
    plan = await make_plan()
    assert plan["subsidy_cap"] == "5000000.00"
    assert [(t["seq"], t["amount"], t["status"]) for t in plan["tranches"]] == [
        (1, "1500000.00", "due"),
        (2, "3500000.00", "planned"),
    ]
    assert plan["paid"] == "0.00" and plan["outstanding"] == "5000000.00"
    assert "HZ 二" in plan["formula"]["clauses"] and plan["formula"]["zh"]


async def test_urumqi_plan_excludes_equity_and_over_quota_gets_nothing(
    make_plan: PlanMaker,
) -> None:
    plan = await make_plan("urumqi", equity_contribution_valuation="1000000.00")
    assert plan["subsidy_cap"] == "2800000.00"
    over = await make_plan("urumqi", over_quota=True)
    assert over["subsidy_cap"] == "0.00"
    assert over["outstanding"] == "0.00"
    assert over["formula"]["clauses"][0] == "URC 二(一)"
    assert over["tranches"][0]["status"] == "cancelled"


async def test_same_project_twice_creates_one_plan(api: httpx.AsyncClient, auth: Auth) -> None:
    body = plan_body()
    first = await api.post("/api/v1/funding", json=body, headers=auth("service"))
    again = await api.post("/api/v1/funding", json=body, headers=auth("service"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["tranches"] == again.json()["tranches"]
    other = await api.post(
        "/api/v1/funding", json={**body, "total_investment": "1.00"}, headers=auth("service")
    )
    assert other.status_code == 409
    assert other.json()["code"] == "funding.plan_conflict"


async def test_huzhou_plan_without_requested_subsidy_is_refused_with_clause(
    api: httpx.AsyncClient, auth: Auth
) -> None:
    body = plan_body(requested_subsidy=None)
    response = await api.post("/api/v1/funding", json=body, headers=auth("service"))
    assert response.status_code == 422
    assert response.json()["clause"] == "HZ 二"


async def test_plan_for_another_city_than_the_token_is_refused(
    api: httpx.AsyncClient, auth: Auth
) -> None:
    response = await api.post(
        "/api/v1/funding", json=plan_body("urumqi"), headers=auth("service", city="huzhou")
    )
    assert response.status_code == 422


async def test_owner_and_solver_read_only_their_own_plan(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    plan = await make_plan()
    url = f"/api/v1/funding/{plan['project_id']}"
    owner, solver = plan["body"]["owner_org_id"], plan["body"]["solver_org_id"]
    assert (await api.get(url, headers=auth("demand_owner", org_id=owner))).status_code == 200
    assert (await api.get(url, headers=auth("solver", org_id=solver))).status_code == 200
    assert (await api.get(url, headers=auth("solver", org_id=owner))).status_code == 404
    assert (
        await api.get(url, headers=auth("demand_owner", org_id=uuid.uuid4()))
    ).status_code == 404
    assert (await api.get(url, headers=auth("expert"))).status_code == 403
    assert (await api.get(url, headers=auth("bureau", city="urumqi"))).status_code == 404


async def test_bad_input_is_a_problem_not_a_500(api: httpx.AsyncClient, auth: Auth) -> None:
    for bad in (
        {**plan_body(), "bounty_amount": 1.5},
        {**plan_body(), "total_investment": "abc"},
        {**plan_body(), "project_id": "x" * 10_000},
        {**plan_body(), "unknown": 1},
        {"project_id": str(uuid.uuid4())},
    ):
        response = await api.post("/api/v1/funding", json=bad, headers=auth("service"))
        assert response.status_code == 422, response.text
    assert (await api.get("/api/v1/funding/not-a-uuid", headers=auth("bureau"))).status_code == 422


async def test_no_plan_below_the_hard_minimum_total_investment(
    api: httpx.AsyncClient, auth: Auth
) -> None:
    """Issue #11 item 1: even a service caller cannot plan on a total of 1.00."""
    body = plan_body("urumqi", total_investment="1.00", bounty_amount="999999999.99")
    refused = await api.post("/api/v1/funding", json=body, headers=auth("service", city="urumqi"))
    assert refused.status_code == 422, refused.text
    assert {e["code"] for e in refused.json()["errors"]} == {
        "funding.min_total_investment",
        "funding.bounty_within_total",
    }
