"""Publication through the real review service (no stand-in), in process and live, plus the
live-stack proofs: parallel submits, and each boundary once through the real gateway."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.intake.conftest import IN_COLLECTION, IN_PUBLICATION, Flow, clock
from tests.intake.test_policy import RULES
from tests.intake.test_rounds_and_organizations import windows

HZ_DOCS = ("application_form", "consortium_plan", "consortium_agreement", "credit_commitment")


class RealFlow(Flow):
    """``Flow`` whose vetting is filed with review itself (the bureau files it)."""

    async def vet(self, demand_id: str) -> None:
        criteria = RULES.get(self.city).vetting.criteria
        body = {
            "demand_id": demand_id,
            "verdict": "pass",
            "criteria": {c: {"score": "85", "note": "sound"} for c in criteria},
        }
        response = await self.api.post("/api/v1/vettings", json=body, headers=self.bureau)
        assert response.status_code == 201, response.text

    async def challenge(self, owner_org: str | None = None, **demand_over: Any) -> dict[str, Any]:
        owner_org = owner_org or (await self.org())["id"]
        round_ = await self.round()
        demand = await self.demand(owner_org, round_["id"], **demand_over)
        assert (await self.submit_demand(demand, owner_org)).status_code == 200
        await self.vet(demand["id"])
        response = await self.api.post(
            f"/api/v1/demands/{demand['id']}/publish",
            headers={**self.bureau, **clock(IN_PUBLICATION)},
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def hz_application(self, lead_over: dict[str, Any] | None = None) -> tuple[str, str]:
        challenge = await self.challenge()
        lead = await self.org(**(lead_over or {}))
        member = await self.org(kind="university")
        created = await self.application(
            challenge["id"],
            lead["id"],
            member_org_ids=[member["id"]],
            pi={"name": "Li", "employed_by_lead": True},
            documents=await self.documents(lead["id"], *HZ_DOCS),
        )
        assert created.status_code == 201, created.text
        return created.json()["id"], lead["id"]


async def test_publish_with_a_vetting_filed_in_review(api: httpx.AsyncClient, auth: Any) -> None:
    flow = RealFlow(api, auth, review=None)  # type: ignore[arg-type]
    owner = (await flow.org())["id"]
    round_ = await flow.round()
    demand = await flow.demand(owner, round_["id"])
    assert (await flow.submit_demand(demand, owner)).status_code == 200
    url = f"/api/v1/demands/{demand['id']}/publish"
    refused = await api.post(url, headers={**flow.bureau, **clock(IN_PUBLICATION)})
    assert refused.status_code == 422 and refused.json()["code"] == "ruleset.vetting_not_passed"
    await flow.vet(demand["id"])
    published = await api.post(url, headers={**flow.bureau, **clock(IN_PUBLICATION)})
    assert published.status_code == 201, published.text


@pytest.fixture
async def live_client(live: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live.gateway_url, timeout=30) as client:
        yield client


def live_flow(client: httpx.AsyncClient, auth: Any, city: str = "huzhou") -> RealFlow:
    return RealFlow(client, auth, review=None, city=city)  # type: ignore[arg-type]


@pytest.mark.e2e
async def test_parallel_submits_make_exactly_one_submission(
    live_client: httpx.AsyncClient, auth: Any
) -> None:
    flow = live_flow(live_client, auth)
    application_id, lead = await flow.hz_application()
    headers = {**flow.solver(lead), **clock(IN_PUBLICATION)}
    url = f"/api/v1/applications/{application_id}/submit"
    responses = await asyncio.gather(*[live_client.post(url, headers=headers) for _ in range(6)])
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 5, [r.text for r in responses]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {
        "application.not_draft"
    }
    read = await live_client.get(f"/api/v1/applications/{application_id}", headers=headers)
    assert read.json()["status"] == "submitted"


@pytest.mark.e2e
async def test_parallel_creates_make_exactly_one_application(
    live_client: httpx.AsyncClient, auth: Any
) -> None:
    flow = live_flow(live_client, auth)
    challenge = await flow.challenge()
    lead = (await flow.org())["id"]
    responses = await asyncio.gather(*[flow.application(challenge["id"], lead) for _ in range(6)])
    assert sorted(r.status_code for r in responses) == [201] + [409] * 5


@pytest.mark.e2e
@pytest.mark.parametrize(("rd", "status"), [("299000.00", 422), ("300000.00", 200)])
async def test_live_huzhou_rd_ratio_boundary(
    live_client: httpx.AsyncClient, auth: Any, rd: str, status: int
) -> None:
    flow = live_flow(live_client, auth)
    application_id, lead = await flow.hz_application(
        {"revenue_last_year": "10000000.00", "rd_spend_last_year": rd}
    )
    response = await live_client.post(
        f"/api/v1/applications/{application_id}/submit",
        headers={**flow.solver(lead), **clock(IN_PUBLICATION)},
    )
    assert response.status_code == status, response.text


@pytest.mark.e2e
@pytest.mark.parametrize(("total", "status"), [("4999999.99", 422), ("5000000.00", 200)])
async def test_live_urumqi_minimum_investment_boundary(
    live_client: httpx.AsyncClient, auth: Any, total: str, status: int
) -> None:
    flow = live_flow(live_client, auth, city="urumqi")
    owner = (await flow.org())["id"]
    round_ = await flow.round()
    demand = await flow.demand(owner, round_["id"], total_investment=total, bounty_amount="100.00")
    response = await live_client.post(
        f"/api/v1/demands/{demand['id']}/submit",
        headers={**flow.owner(owner), **clock(IN_COLLECTION)},
    )
    assert response.status_code == status, response.text
    if status == 422:
        assert response.json()["clause"] == "URC 二(一)"


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("days", "reason", "status"),
    [(29, None, 422), (30, None, 201), (29, "Holiday, agreed by the director", 201)],
)
async def test_live_urumqi_collection_window_boundary(
    live_client: httpx.AsyncClient, auth: Any, days: int, reason: str | None, status: int
) -> None:
    flow = live_flow(live_client, auth, city="urumqi")
    body = flow.round_body(**windows(days, 15), title=f"round {uuid.uuid4().hex[:6]}")
    if reason:
        body["override_reason"] = reason
    response = await live_client.post("/api/v1/rounds", json=body, headers=flow.bureau)
    assert response.status_code == status, response.text
    if reason:
        assert response.json()["override_reason"] == reason
