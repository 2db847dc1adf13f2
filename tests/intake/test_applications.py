"""Applications: eligibility per city at the gateway, duplicates, deadline, withdraw, reads."""

from typing import Any

import pytest

from tests.intake.conftest import AFTER_PUBLICATION, IN_PUBLICATION, Flow, clock

HZ_DOCS = ("application_form", "consortium_plan", "consortium_agreement", "credit_commitment")


async def hz_application(
    flow: Flow,
    lead_over: dict[str, Any] | None = None,
    kinds: tuple[str, ...] = tuple(HZ_DOCS),
    **over: Any,
) -> tuple[dict[str, Any], dict[str, Any]]:
    challenge = await flow.challenge()
    lead = await flow.org(**(lead_over or {}))
    member = await flow.org(kind="university")
    body: dict[str, Any] = {
        "member_org_ids": [member["id"]],
        "pi": {"name": "Li", "employed_by_lead": True},
        "plan": "plan",
        "total_budget": "2000000.00",
        "requested_subsidy": "500000.00",
        **over,
    }
    body.setdefault("documents", await flow.documents(lead["id"], *kinds))
    created = await flow.application(challenge["id"], lead["id"], **body)
    assert created.status_code == 201, created.text
    return created.json(), lead


async def submit(
    flow: Flow, application: dict[str, Any], lead: str, at: str = IN_PUBLICATION
) -> Any:
    return await flow.api.post(
        f"/api/v1/applications/{application['id']}/submit",
        headers={**flow.solver(lead), **clock(at)},
    )


@pytest.mark.parametrize(("rd", "status"), [("299000.00", 422), ("300000.00", 200)])
async def test_huzhou_rd_ratio_299_vs_300_percent_at_the_gateway(
    flow: Flow, rd: str, status: int
) -> None:
    application, lead = await hz_application(
        flow, {"revenue_last_year": "10000000.00", "rd_spend_last_year": rd}
    )
    response = await submit(flow, application, lead["id"])
    assert response.status_code == status, response.text
    if status == 422:
        assert response.json()["code"] == "ruleset.lead_rd_ratio"
        assert response.json()["clause"] == "HZ 三(三)1"
    else:
        assert response.json()["submitted_at"] is not None


async def test_huzhou_lists_each_eligibility_failure(flow: Flow) -> None:
    application, lead = await hz_application(
        flow,
        {"kind": "institute"},
        member_org_ids=[],
        pi={"name": "Li", "employed_by_lead": False},
        other_municipal_application=True,
        kinds=("application_form",),
    )
    response = await submit(flow, application, lead["id"])
    assert response.status_code == 422
    assert [e["code"] for e in response.json()["errors"]] == [
        "ruleset.consortium_required",
        "ruleset.lead_kind",
        "ruleset.pi_employed_by_lead",
        "ruleset.other_municipal_application",
        *["ruleset.required_document"] * 3,
    ]


@pytest.mark.parametrize("via", ["lead_named_by_owner", "owner_named_by_member"])
async def test_urumqi_affiliation_with_the_owner_is_refused(urumqi: Flow, via: str) -> None:
    owner = await urumqi.org()
    related = await urumqi.org(affiliated_org_ids=[owner["id"]])
    lead = related if via == "lead_named_by_owner" else await urumqi.org()
    members = [] if via == "lead_named_by_owner" else [related["id"]]
    challenge = await urumqi.challenge(owner["id"])
    created = await urumqi.application(
        challenge["id"],
        lead["id"],
        member_org_ids=members,
        documents=await urumqi.documents(lead["id"], "feasibility_plan"),
    )
    response = await submit(urumqi, created.json(), lead["id"])
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["clause"]) == (
        "ruleset.affiliation",
        "URC 二(三)",
    )


async def test_urumqi_unrelated_single_unit_is_eligible(urumqi: Flow) -> None:
    challenge = await urumqi.challenge()
    lead = await urumqi.org(kind="university")
    created = await urumqi.application(
        challenge["id"],
        lead["id"],
        documents=await urumqi.documents(lead["id"], "feasibility_plan"),
    )
    assert (await submit(urumqi, created.json(), lead["id"])).status_code == 200


async def test_urumqi_achievement_transfer_needs_ip_agreement(urumqi: Flow) -> None:
    opinion = {"issuer_kind": "industry_association", "issuer_name": "XJ Assoc."}
    challenge = await urumqi.challenge(category="achievement_transfer", evaluation_opinion=opinion)
    lead = await urumqi.org()
    created = await urumqi.application(
        challenge["id"],
        lead["id"],
        documents=await urumqi.documents(lead["id"], "feasibility_plan"),
    )
    response = await submit(urumqi, created.json(), lead["id"])
    assert response.status_code == 422 and response.json()["code"] == "ruleset.required_document"
    patched = await urumqi.api.patch(
        f"/api/v1/applications/{created.json()['id']}",
        json={"documents": await urumqi.documents(lead["id"], "feasibility_plan", "ip_agreement")},
        headers={**urumqi.solver(lead["id"]), **clock(IN_PUBLICATION)},
    )
    assert patched.status_code == 200, patched.text
    assert (await submit(urumqi, created.json(), lead["id"])).status_code == 200


async def test_same_lead_same_challenge_twice_is_409_until_withdrawn(flow: Flow) -> None:
    challenge = await flow.challenge()
    lead = await flow.org()
    first = await flow.application(challenge["id"], lead["id"])
    second = await flow.application(challenge["id"], lead["id"])
    assert second.status_code == 409 and second.json()["code"] == "application.duplicate"
    withdrawn = await flow.api.post(
        f"/api/v1/applications/{first.json()['id']}/withdraw",
        headers={**flow.solver(lead["id"]), **clock(IN_PUBLICATION)},
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert (await flow.application(challenge["id"], lead["id"])).status_code == 201


async def test_submit_after_the_deadline_is_409_with_the_deadline(flow: Flow) -> None:
    application, lead = await hz_application(flow)
    response = await submit(flow, application, lead["id"], at=AFTER_PUBLICATION)
    assert response.status_code == 409
    assert response.json()["code"] == "application.deadline_passed"
    assert "2025-05-01T09:00+08:00" in response.json()["detail"]


async def test_submit_at_the_deadline_instant_is_late_one_minute_before_is_not(
    flow: Flow,
) -> None:
    application, lead = await hz_application(flow)
    late = await submit(flow, application, lead["id"], at="2025-05-01T09:00:00+08:00")
    assert late.status_code == 409
    ok = await submit(flow, application, lead["id"], at="2025-05-01T08:59:00+08:00")
    assert ok.status_code == 200, ok.text


async def test_submitted_twice_is_409_and_withdraw_after_deadline_is_409(flow: Flow) -> None:
    application, lead = await hz_application(flow)
    assert (await submit(flow, application, lead["id"])).status_code == 200
    again = await submit(flow, application, lead["id"])
    assert again.status_code == 409 and again.json()["code"] == "application.not_draft"
    late = await flow.api.post(
        f"/api/v1/applications/{application['id']}/withdraw",
        headers={**flow.solver(lead["id"]), **clock(AFTER_PUBLICATION)},
    )
    assert late.status_code == 409


async def test_solver_must_lead_with_its_own_organisation(flow: Flow) -> None:
    challenge = await flow.challenge()
    mine, other = await flow.org(), await flow.org()
    response = await flow.application(challenge["id"], mine["id"], lead_org_id=other["id"])
    assert response.status_code == 403


async def test_unknown_member_is_422(flow: Flow) -> None:
    challenge = await flow.challenge()
    lead = await flow.org()
    response = await flow.application(
        challenge["id"], lead["id"], member_org_ids=["00000000-0000-0000-0000-000000000009"]
    )
    assert response.status_code == 422 and response.json()["code"] == "application.unknown_member"


async def test_members_read_but_cannot_act(flow: Flow) -> None:
    challenge = await flow.challenge()
    lead, member = await flow.org(), await flow.org()
    created = (
        await flow.application(challenge["id"], lead["id"], member_org_ids=[member["id"]])
    ).json()
    as_member = flow.solver(member["id"])
    read = await flow.api.get(f"/api/v1/applications/{created['id']}", headers=as_member)
    assert read.status_code == 200
    listed = await flow.api.get("/api/v1/applications", headers=as_member)
    assert [a["id"] for a in listed.json()["items"]] == [created["id"]]
    act = await flow.api.post(
        f"/api/v1/applications/{created['id']}/withdraw",
        headers={**as_member, **clock(IN_PUBLICATION)},
    )
    assert act.status_code == 404


async def test_owner_reads_applications_only_after_results_are_public(flow: Flow) -> None:
    owner = await flow.org()
    challenge = await flow.challenge(owner["id"])
    _other, lead = await hz_application(flow)  # another challenge: never visible
    mine = (await flow.application(challenge["id"], lead["id"])).json()
    headers = flow.owner(owner["id"])
    assert (
        await flow.api.get(f"/api/v1/applications/{mine['id']}", headers=headers)
    ).status_code == 404
    assert (await flow.api.get("/api/v1/applications", headers=headers)).json()["items"] == []
    bureau_try = await flow.api.post(
        f"/api/v1/challenges/{challenge['id']}/results-public", headers=flow.bureau
    )
    assert bureau_try.status_code == 403
    service = flow.auth("service", city="huzhou", sub="service:review")
    opened = await flow.api.post(
        f"/api/v1/challenges/{challenge['id']}/results-public", headers=service
    )
    assert opened.status_code == 200 and opened.json()["results_public"] is True
    listed = await flow.api.get("/api/v1/applications", headers=headers)
    assert [a["id"] for a in listed.json()["items"]] == [mine["id"]]


async def test_expert_reads_only_assigned_applications_and_demands(flow: Flow) -> None:
    challenge = await flow.challenge()
    a, b = await flow.org(), await flow.org()
    app_a = (await flow.application(challenge["id"], a["id"])).json()
    await flow.application(challenge["id"], b["id"])
    expert = "7d1c0c9e-1111-4222-8333-444455556666"
    flow.review.assignments[expert] = {
        "demand_ids": [challenge["demand_id"]],
        "application_ids": [app_a["id"]],
    }
    headers = flow.auth("expert", city="huzhou", sub=expert)
    listed = await flow.api.get("/api/v1/applications", headers=headers)
    assert [x["id"] for x in listed.json()["items"]] == [app_a["id"]]
    demands = await flow.api.get("/api/v1/demands", headers=headers)
    assert [d["id"] for d in demands.json()["items"]] == [challenge["demand_id"]]
    unassigned = flow.auth("expert", city="huzhou")
    assert (await flow.api.get("/api/v1/applications", headers=unassigned)).json()["items"] == []


async def test_service_lists_submitted_applications_of_a_challenge(flow: Flow) -> None:
    application, lead = await hz_application(flow)
    assert (await submit(flow, application, lead["id"])).status_code == 200
    service = flow.auth("service", city="huzhou", sub="service:review")
    response = await flow.api.get(
        "/api/v1/applications",
        params={"challenge_id": application["challenge_id"], "status": "submitted"},
        headers=service,
    )
    [item] = response.json()["items"]
    assert item["id"] == application["id"] and item["owner_org_id"]
    drafts = await flow.api.get(
        "/api/v1/applications",
        params={"challenge_id": application["challenge_id"], "status": "draft"},
        headers=service,
    )
    assert drafts.json()["items"] == []


async def test_lists_paginate_with_a_cursor(flow: Flow) -> None:
    challenge = await flow.challenge()
    ids = []
    for _ in range(3):
        lead = await flow.org()
        ids.append((await flow.application(challenge["id"], lead["id"])).json()["id"])
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, "challenge_id": challenge["id"]}
        if cursor:
            params["cursor"] = cursor
        page = (
            await flow.api.get("/api/v1/applications", params=params, headers=flow.bureau)
        ).json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    # One test transaction gives every row the same created_at; the id breaks the tie.
    assert seen == sorted(ids)
