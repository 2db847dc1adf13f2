"""Decisions rest on states and facts, not on what is typed (issue #11 items 3, 4)."""

from tests.review.conftest import (
    AFTER_PUBLICITY,
    IN_PUBLICATION,
    REVIEW_TIME,
    Lifecycle,
    decide,
    ok,
    urumqi_public,
)


async def test_agreement_dated_in_the_future_is_refused(urc: Lifecycle) -> None:
    s = await urumqi_public(urc)
    cid, app = s["challenge"]["id"], s["apps"][0]
    future = await decide(urc, cid, app, agreement_signed_at="2025-06-30T10:00:00+08:00")
    assert future.status_code == 422, future.text
    assert future.json()["code"] == "decision.agreement_in_future"
    assert future.json()["clause"] == "URC 二(五)"
    assert AFTER_PUBLICITY["X-Clock-Now"] < "2025-06-30"
    ok(await decide(urc, cid, app), 201)


async def test_review_waits_for_the_application_window(urc: Lifecycle) -> None:
    owner = await urc.org()
    challenge = await urc.challenge(owner)
    await urc.application(challenge["id"], await urc.org())
    experts = await urc.experts(3)
    body = {
        "round_id": challenge["round_id"],
        "stage": "plan_review",
        "challenge_ids": [challenge["id"]],
        "expert_ids": experts,
    }
    early = await urc.api.post(
        "/api/v1/panels", json=body, headers={**urc.bureau, **IN_PUBLICATION}
    )
    assert early.status_code == 409 and early.json()["code"] == "review.applications_open"


async def test_no_answer_or_withdrawal_once_results_are_public(urc: Lifecycle) -> None:
    s = await urumqi_public(urc, n_apps=2)
    cid = s["challenge"]["id"]
    late_lead = await urc.org()
    solver = {**urc.as_("solver", late_lead), **IN_PUBLICATION}
    late = await urc.api.post(
        f"/api/v1/challenges/{cid}/applications",
        json={"lead_org_id": late_lead, "plan": "late", "total_budget": "1.00"},
        headers=solver,
    )
    assert late.status_code == 409 and late.json()["code"] == "application.results_public"
    winner = {**urc.as_("solver", s["leads"][0]), **IN_PUBLICATION}
    withdraw = await urc.api.post(f"/api/v1/applications/{s['apps'][0]}/withdraw", headers=winner)
    assert withdraw.status_code == 409 and withdraw.json()["code"] == "application.results_public"


async def test_a_withdrawn_application_is_never_approved(urc: Lifecycle) -> None:
    owner = await urc.org()
    challenge = await urc.challenge(owner)
    lead = await urc.org()
    app = await urc.application(challenge["id"], lead)
    experts = await urc.experts(3)
    panel = ok(
        await urc.panel(challenge["round_id"], "plan_review", [challenge["id"]], experts), 201
    )
    await urc.score_all(panel, {app: ["80"] * 3})
    ok(await urc.api.post(f"/api/v1/panels/{panel['id']}/close", headers=urc.bureau))
    cid = challenge["id"]
    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/choice",
            headers=urc.as_("demand_owner", owner),
            json={"application_id": app},
        )
    )
    # The platform's clock set back into the window (dev mode) lets the solver withdraw.
    solver = {**urc.as_("solver", lead), **IN_PUBLICATION}
    assert (
        ok(await urc.api.post(f"/api/v1/applications/{app}/withdraw", headers=solver))["status"]
        == "withdrawn"
    )
    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/publicity", headers={**urc.bureau, **REVIEW_TIME}
        )
    )
    refused = await decide(urc, cid, app)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "decision.application_not_submitted"
