"""Demands: drafting, submitting against each city's rules, publishing after vetting."""

from typing import Any

import pytest

from tests.intake.conftest import (
    AFTER_PUBLICATION,
    IN_COLLECTION,
    IN_PUBLICATION,
    T0,
    Flow,
    clock,
)


async def submitted(flow: Flow, owner: str, **over: Any) -> tuple[dict[str, Any], Any]:
    round_ = await flow.round()
    demand = await flow.demand(owner, round_["id"], **over)
    return demand, await flow.submit_demand(demand, owner)


@pytest.mark.parametrize(("total", "status"), [("4999999.99", 422), ("5000000.00", 200)])
async def test_urumqi_minimum_total_investment_at_the_gateway(
    urumqi: Flow, total: str, status: int
) -> None:
    owner = (await urumqi.org())["id"]
    _, response = await submitted(urumqi, owner, total_investment=total, bounty_amount="100.00")
    assert response.status_code == status, response.text
    if status == 422:
        problem = response.json()
        assert problem["code"] == "ruleset.min_total_investment"
        assert problem["clause"] == "URC 二(一)"
        assert "5000000.00" in problem["detail"] and problem["detail_zh"]
    else:
        assert response.json()["total_investment"] == "5000000.00"


async def test_every_violation_is_listed_at_once(urumqi: Flow) -> None:
    owner = (await urumqi.org())["id"]
    _, response = await submitted(
        urumqi,
        owner,
        field="new_energy",
        total_investment="100.00",
        bounty_amount="200.00",
        project_manager=None,
        classified=True,
    )
    assert response.status_code == 422
    assert [e["code"] for e in response.json()["errors"]] == [
        "ruleset.min_total_investment",
        "ruleset.bounty_exceeds_total",
        "ruleset.field_not_open",
        "ruleset.classified",
        "ruleset.project_manager",
    ]


async def test_huzhou_required_content_with_clause(flow: Flow) -> None:
    owner = (await flow.org())["id"]
    _, response = await submitted(flow, owner, end_users=None, core_indicators=[])
    assert response.status_code == 422
    problem = response.json()
    assert problem["clause"] == "HZ 三(一)"
    assert [e["code"] for e in problem["errors"]] == ["ruleset.required_field"] * 2


async def test_achievement_transfer_opinion_at_the_gateway(urumqi: Flow) -> None:
    owner = (await urumqi.org())["id"]
    _, refused = await submitted(urumqi, owner, category="achievement_transfer")
    assert refused.json()["code"] == "ruleset.evaluation_opinion"
    opinion = {"issuer_kind": "university_tech_transfer_office", "issuer_name": "XJU TTO"}
    _, ok = await submitted(
        urumqi, owner, category="achievement_transfer", evaluation_opinion=opinion
    )
    assert ok.status_code == 200, ok.text


async def test_huzhou_has_no_achievement_transfer_category(flow: Flow) -> None:
    round_ = await flow.round()
    owner = (await flow.org())["id"]
    response = await flow.api.post(
        "/api/v1/demands",
        json=flow.demand_body(round_["id"], category="achievement_transfer"),
        headers=flow.owner(owner),
    )
    assert response.status_code == 422 and response.json()["code"] == "demand.unknown_category"


async def test_classified_is_refused_for_the_owner_and_overridable_by_the_bureau(
    urumqi: Flow,
) -> None:
    owner = (await urumqi.org())["id"]
    demand, refused = await submitted(urumqi, owner, classified=True)
    assert refused.status_code == 422 and refused.json()["code"] == "ruleset.classified"
    with_reason = await urumqi.api.post(
        f"/api/v1/demands/{demand['id']}/submit",
        json={"override_reason": "please"},
        headers={**urumqi.owner(owner), **clock(IN_COLLECTION)},
    )
    assert with_reason.status_code == 422  # only a bureau user may override
    by_bureau = await urumqi.api.post(
        f"/api/v1/demands/{demand['id']}/submit",
        json={"override_reason": "Declassified part only, letter 2025-17"},
        headers={**urumqi.bureau, **clock(IN_COLLECTION)},
    )
    assert by_bureau.status_code == 200, by_bureau.text
    [override] = by_bureau.json()["overrides"]
    assert override["code"] == "ruleset.classified" and override["by"] == urumqi.bureau_sub


async def test_bureau_cannot_override_a_hard_rule(urumqi: Flow) -> None:
    owner = (await urumqi.org())["id"]
    demand, _ = await submitted(urumqi, owner, total_investment="4999999.99", bounty_amount="1.00")
    response = await urumqi.api.post(
        f"/api/v1/demands/{demand['id']}/submit",
        json={"override_reason": "important"},
        headers={**urumqi.bureau, **clock(IN_COLLECTION)},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "ruleset.min_total_investment"


async def test_over_quota_owner_submits_a_publishable_unfundable_demand(urumqi: Flow) -> None:
    owner = (await urumqi.org(over_quota=True))["id"]
    _, response = await submitted(urumqi, owner)
    assert response.status_code == 200 and response.json()["over_quota"] is True
    huzhou_owner = await urumqi.api.post(  # Huzhou's rule set has no over-quota rule
        "/api/v1/organizations",
        json={
            "name": "x",
            "credit_code": "91350100M000100Y43",
            "kind": "enterprise",
            "over_quota": True,
        },
        headers=urumqi.auth("bureau", city="huzhou"),
    )
    hz = Flow(urumqi.api, urumqi.auth, urumqi.review)
    _, hz_response = await submitted(hz, huzhou_owner.json()["id"])
    assert hz_response.status_code == 200 and hz_response.json()["over_quota"] is False


@pytest.mark.parametrize(
    "at", [(T0.replace(hour=8, minute=59)).isoformat(), "2025-03-31T09:00:00+08:00"]
)
async def test_submit_outside_the_collection_window_is_409(flow: Flow, at: str) -> None:
    owner = (await flow.org())["id"]
    round_ = await flow.round()
    demand = await flow.demand(owner, round_["id"])
    response = await flow.api.post(
        f"/api/v1/demands/{demand['id']}/submit", headers={**flow.owner(owner), **clock(at)}
    )
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "demand.outside_collection_window"
    assert "2025-03-01T09:00+08:00" in problem["detail"]
    assert "2025-03-31T09:00+08:00" in problem["detail"]


async def test_patch_only_in_draft_and_only_by_the_owner(flow: Flow) -> None:
    owner = (await flow.org())["id"]
    other = (await flow.org())["id"]
    demand, _ = await submitted(flow, owner)
    url = f"/api/v1/demands/{demand['id']}"
    assert (
        await flow.api.patch(url, json={"title": "x"}, headers=flow.owner(other))
    ).status_code == 404
    response = await flow.api.patch(url, json={"title": "new"}, headers=flow.owner(owner))
    assert response.status_code == 409 and response.json()["code"] == "demand.not_draft"
    round_ = await flow.round()
    draft = await flow.demand(owner, round_["id"])
    ok = await flow.api.patch(
        f"/api/v1/demands/{draft['id']}",
        json={"total_investment": "7000000.50"},
        headers=flow.owner(owner),
    )
    assert ok.status_code == 200 and ok.json()["total_investment"] == "7000000.50"


async def test_publish_needs_a_passed_vetting(flow: Flow) -> None:
    owner = (await flow.org())["id"]
    demand, _ = await submitted(flow, owner)
    url = f"/api/v1/demands/{demand['id']}/publish"
    headers = {**flow.bureau, **clock(IN_PUBLICATION)}
    flow.review.vettings[demand["id"]] = [
        {"id": "v1", "demand_id": demand["id"], "expert_id": "e1", "verdict": "fail"}
    ]
    refused = await flow.api.post(url, headers=headers)
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "ruleset.vetting_not_passed"
    assert refused.json()["clause"] == "HZ 三(二)"
    flow.pass_vetting(demand["id"])
    published = await flow.api.post(url, headers=headers)
    assert published.status_code == 201, published.text
    challenge = published.json()
    assert challenge["demand_id"] == demand["id"]
    assert challenge["publication_closes_at"].startswith("2025-05-01T")  # T0 + 61 days
    read = await flow.api.get(f"/api/v1/demands/{demand['id']}", headers=flow.owner(owner))
    assert read.json()["status"] == "published"
    again = await flow.api.post(url, headers=headers)
    assert again.status_code == 409


async def test_a_draft_cannot_be_published(flow: Flow) -> None:
    owner = (await flow.org())["id"]
    round_ = await flow.round()
    demand = await flow.demand(owner, round_["id"])
    flow.pass_vetting(demand["id"])
    response = await flow.api.post(
        f"/api/v1/demands/{demand['id']}/publish", headers={**flow.bureau, **clock(IN_PUBLICATION)}
    )
    assert response.status_code == 409 and response.json()["code"] == "demand.not_submitted"


async def test_publish_after_the_publication_window_is_409(flow: Flow) -> None:
    owner = (await flow.org())["id"]
    demand, _ = await submitted(flow, owner)
    flow.pass_vetting(demand["id"])
    response = await flow.api.post(
        f"/api/v1/demands/{demand['id']}/publish",
        headers={**flow.bureau, **clock(AFTER_PUBLICATION)},
    )
    assert response.status_code == 409 and response.json()["code"] == "demand.publication_closed"


async def test_demand_for_unknown_round_or_field(flow: Flow) -> None:
    owner = (await flow.org())["id"]
    round_ = await flow.round()
    bad_round = flow.demand_body("00000000-0000-0000-0000-000000000000")
    response = await flow.api.post("/api/v1/demands", json=bad_round, headers=flow.owner(owner))
    assert response.status_code == 422 and response.json()["code"] == "demand.unknown_round"
    bad_field = flow.demand_body(round_["id"], field="textiles_apparel")
    response = await flow.api.post("/api/v1/demands", json=bad_field, headers=flow.owner(owner))
    assert response.status_code == 422 and response.json()["code"] == "demand.unknown_field"


async def test_owner_without_registered_org_cannot_create(flow: Flow) -> None:
    round_ = await flow.round()
    headers = flow.owner("00000000-0000-0000-0000-0000000000aa")
    response = await flow.api.post(
        "/api/v1/demands", json=flow.demand_body(round_["id"]), headers=headers
    )
    assert response.status_code == 422
    no_org = flow.auth("demand_owner", city="huzhou")
    response = await flow.api.post(
        "/api/v1/demands", json=flow.demand_body(round_["id"]), headers=no_org
    )
    assert response.status_code == 403
