"""URC 二(三) at every decision point (issue #11 item 5): an affiliation the bureau registers
after submit leaves the application out of a new panel and refuses the owner's choice, the
horse race, the decision and a consortium member change that brings it in."""

from typing import Any

from tests.review.conftest import Lifecycle, decide, ok, urumqi_public


async def _affiliate(urc: Lifecycle, owner: str, *orgs: str) -> None:
    ok(
        await urc.api.patch(
            f"/api/v1/organizations/{owner}",
            json={"affiliated_org_ids": list(orgs)},
            headers=urc.bureau,
        )
    )


async def test_decision_and_member_change_recheck_affiliation(urc: Lifecycle) -> None:
    s = await urumqi_public(urc, n_apps=1)
    cid, app = s["challenge"]["id"], s["apps"][0]
    await _affiliate(urc, s["owner"], s["leads"][0])
    refused = await decide(urc, cid, app)
    assert refused.status_code == 422, refused.text
    assert (refused.json()["code"], refused.json()["clause"]) == (
        "ruleset.affiliation",
        "URC 二(三)",
    )
    await _affiliate(urc, s["owner"])  # the registration is corrected
    project = ok(await decide(urc, cid, app), 201)["project_id"]
    related = await urc.org()
    await _affiliate(urc, s["owner"], related)
    for member in (related, s["owner"]):
        change = await urc.api.post(
            f"/api/v1/projects/{project}/changes",
            json={"kind": "member_change", "member_org_ids": [member], "reason": "new partner"},
            headers=urc.bureau,
        )
        assert change.status_code == 422 and change.json()["code"] == "ruleset.affiliation"


async def test_choice_horse_race_and_panel_recheck_affiliation(urc: Lifecycle) -> None:
    owner = await urc.org()
    challenge = await urc.challenge(owner)
    leads = [await urc.org() for _ in range(3)]
    apps = [await urc.application(challenge["id"], lead) for lead in leads]
    await _affiliate(urc, owner, leads[2])
    experts = await urc.experts(3)
    panel: dict[str, Any] = ok(
        await urc.panel(challenge["round_id"], "plan_review", [challenge["id"]], experts), 201
    )
    assert {e["application_id"] for e in panel["entries"]} == set(apps[:2])
    await urc.score_all(panel, {a: ["80"] * 3 for a in apps[:2]})
    ok(await urc.api.post(f"/api/v1/panels/{panel['id']}/close", headers=urc.bureau))
    await _affiliate(urc, owner, leads[1])
    cid = challenge["id"]
    choice = await urc.api.post(
        f"/api/v1/results/{cid}/choice",
        headers=urc.as_("demand_owner", owner),
        json={"application_id": apps[1]},
    )
    assert choice.status_code == 422 and choice.json()["code"] == "ruleset.affiliation"
    consents = [{"application_id": a, "consent": True, "by": "rep"} for a in apps[:2]]
    race = await urc.api.post(
        f"/api/v1/results/{cid}/horse-race", json={"consents": consents}, headers=urc.bureau
    )
    assert race.status_code == 422 and race.json()["code"] == "ruleset.affiliation"
