"""The money base at approval comes from the platform's records (issue #11 item 1): the demand
and the application as submitted, changed only by agreement terms a second bureau user
approved; no plan rests on a total investment below the hard minimum."""

from typing import Any

from tests.review.conftest import Lifecycle, decide, ok, urumqi_public


async def _funding(urc: Lifecycle, project_id: str) -> dict[str, Any]:
    return dict(ok(await urc.api.get(f"/api/v1/funding/{project_id}", headers=urc.as_("auditor"))))


async def test_typed_amounts_are_refused_and_the_demand_decides(urc: Lifecycle) -> None:
    s = await urumqi_public(urc)
    cid, app = s["challenge"]["id"], s["apps"][0]
    typed = await decide(urc, cid, app, bounty_amount="999999999999.99", total_investment="1.00")
    assert typed.status_code == 422, typed.text
    decision = ok(await decide(urc, cid, app), 201)
    assert decision["explanation"][-1]["numbers"]["sources"]["bounty_amount"] == "demand"
    plan = await _funding(urc, decision["project_id"])
    assert plan["subsidy_cap"] == "3200000.00"  # 40 % × the demand's 8,000,000.00


async def test_agreement_terms_need_a_second_bureau_user(urc: Lifecycle) -> None:
    s = await urumqi_public(urc)
    cid, app = s["challenge"]["id"], s["apps"][0]
    terms = {"challenge_id": cid, "application_id": app, "reason": "Signed agreement: 6,000,000"}
    proposed = ok(
        await urc.api.post(
            "/api/v1/decisions/agreement-terms",
            json={**terms, "bounty_amount": "6000000.00"},
            headers=urc.bureau,
        ),
        201,
    )
    pending = await decide(urc, cid, app)
    assert pending.status_code == 409 and pending.json()["code"] == "decision.terms_pending"
    path = f"/api/v1/decisions/agreement-terms/{proposed['id']}/decision"
    same = await urc.api.post(path, json={"approve": True}, headers=urc.bureau)
    assert same.status_code == 403 and same.json()["code"] == "four_eyes.same_user"
    checker = urc.as_("bureau", sub="checker-2")
    approved = ok(await urc.api.post(path, json={"approve": True}, headers=checker))
    assert approved["status"] == "approved" and approved["decided_by"] == "checker-2"
    decision = ok(await decide(urc, cid, app), 201)
    plan = await _funding(urc, decision["project_id"])
    assert plan["subsidy_cap"] == "2400000.00"  # 40 % × the agreed 6,000,000.00
    sources = decision["explanation"][-1]["numbers"]["sources"]
    assert sources["bounty_amount"] == f"agreement_terms:{proposed['id']}"


async def test_terms_below_the_hard_minimum_are_refused(urc: Lifecycle) -> None:
    s = await urumqi_public(urc)
    cid, app = s["challenge"]["id"], s["apps"][0]
    low = await urc.api.post(
        "/api/v1/decisions/agreement-terms",
        json={
            "challenge_id": cid,
            "application_id": app,
            "total_investment": "1.00",
            "reason": "x",
        },
        headers=urc.bureau,
    )
    assert low.status_code == 422, low.text
    codes = {e["code"] for e in low.json()["errors"]}
    assert codes == {"funding.min_total_investment", "funding.bounty_within_total"}
    assert low.json()["clause"] == "URC 二(一)"
