"""Panels through the gateway: conflicts refused with the relation named, sizes, outbox when
finance is unreachable."""

from typing import Any

from tests.review.conftest import Lifecycle, ok


async def test_conflicted_expert_is_refused_naming_the_relation(hz: Lifecycle) -> None:
    owner = await hz.org()
    challenge = await hz.challenge(owner)
    lead, member = await hz.org(), await hz.org(kind="university")
    app = await hz.application(challenge["id"], lead, member)
    clean = await hz.experts(4)
    [same_member] = await hz.experts(1, org_id=member)
    [affiliated_owner] = await hz.experts(1, affiliated_org_ids=[owner])
    for bad, word in ((same_member, "consortium member"), (affiliated_owner, "demand owner")):
        response = await hz.panel(
            challenge["round_id"], "meeting_review", [challenge["id"]], [*clean, bad]
        )
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["code"] == "panel.conflict_of_interest"
        assert problem["clause"] == "HZ 三(四)2"
        assert bad in problem["detail"] and app in problem["detail"] and word in problem["detail"]
    even = await hz.panel(challenge["round_id"], "meeting_review", [challenge["id"]], clean)
    assert even.status_code == 422
    assert {e["code"] for e in even.json()["errors"]} == {"panel.too_small", "panel.even_size"}


async def test_funding_stays_pending_while_finance_is_down(hz: Lifecycle, apps: Any) -> None:
    from tests.review.outbox.test_relay import approve_urumqi, finance_down

    urc = Lifecycle(hz.api, hz.auth, city="urumqi")
    await urc.budget()
    async with finance_down(apps):
        pid = await approve_urumqi(urc)
        project = ok(await urc.api.get(f"/api/v1/projects/{pid}", headers=urc.bureau))
        assert project["funding_status"] == "pending"
    retried = ok(await urc.api.post(f"/api/v1/projects/{pid}/deliveries/retry", headers=urc.bureau))
    assert retried["funding_status"] in {"pending", "delivered"}
