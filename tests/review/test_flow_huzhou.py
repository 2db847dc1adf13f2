"""Huzhou from panel to project through the in-process gateway with the real intake."""

from typing import Any

from tests.review.conftest import AFTER_PUBLICITY, REVIEW_TIME, Lifecycle, ok


async def _reviewed(hz: Lifecycle) -> dict[str, Any]:
    owner = await hz.org()
    challenge = await hz.challenge(owner)
    leads = [await hz.org() for _ in range(2)]
    members = [await hz.org(kind="university") for _ in range(2)]
    apps = [
        await hz.application(challenge["id"], lead, member)
        for lead, member in zip(leads, members, strict=True)
    ]
    experts = await hz.experts(5)
    panels = {}
    for stage in ("meeting_review", "onsite_defense"):
        panels[stage] = ok(
            await hz.panel(challenge["round_id"], stage, [challenge["id"]], experts), 201
        )
    await hz.score_all(panels["meeting_review"], {apps[0]: ["90"] * 5, apps[1]: ["80"] * 5})
    await hz.score_all(
        panels["onsite_defense"], {apps[0]: ["85", "85", "85", "86", "86"], apps[1]: ["99"] * 5}
    )
    for p in panels.values():
        ok(await hz.api.post(f"/api/v1/panels/{p['id']}/close", headers=hz.bureau))
    return {
        "owner": owner,
        "challenge": challenge,
        "apps": apps,
        "leads": leads,
        "panels": panels,
        "experts": experts,
    }


async def approved_winner(hz: Lifecycle) -> tuple[dict[str, Any], str]:
    """A reviewed Huzhou challenge whose winner the bureau approved after publicity; the
    review facts and the new project's id."""
    s = await _reviewed(hz)
    cid, winner = s["challenge"]["id"], s["apps"][1]
    await hz.propose(cid, winner)
    ok(await hz.api.post(f"/api/v1/results/{cid}/publicity", headers={**hz.bureau, **REVIEW_TIME}))
    decision = ok(
        await hz.api.post(
            "/api/v1/decisions",
            json={"challenge_id": cid, "application_id": winner, "outcome": "approve"},
            headers={**hz.bureau, **AFTER_PUBLICITY},
        ),
        201,
    )
    return s, str(decision["project_id"])


async def test_huzhou_panel_to_project(hz: Lifecycle) -> None:
    s = await _reviewed(hz)
    cid, apps = s["challenge"]["id"], s["apps"]
    results = ok(
        await hz.api.get("/api/v1/results", params={"challenge_id": cid}, headers=hz.bureau)
    )
    by_app = {r["application_id"]: r for r in results["items"]}
    # 0.5 × 90 + 0.5 × 85.40 = 87.70; 0.5 × 80 + 0.5 × 99 = 89.50
    assert by_app[apps[0]]["total"] == "87.70" and by_app[apps[1]]["total"] == "89.50"
    assert by_app[apps[1]]["winner"] and not by_app[apps[0]]["winner"]
    assert by_app[apps[1]]["band"] == "recommended"
    assert {e["clause"] for e in by_app[apps[1]]["explanation"]} >= {"HZ 三(四)2", "HZ 三(四)3"}

    await hz.propose(cid, apps[1])
    pub = ok(
        await hz.api.post(f"/api/v1/results/{cid}/publicity", headers={**hz.bureau, **REVIEW_TIME})
    )
    assert pub["status"] == "public"
    objection = ok(
        await hz.api.post(
            "/api/v1/objections",
            json={"challenge_id": cid, "application_id": apps[1], "text": "Scores look odd"},
            headers={**hz.as_("solver", s["leads"][0]), **REVIEW_TIME},
        ),
        201,
    )
    decide = {"challenge_id": cid, "application_id": apps[1], "outcome": "approve"}
    blocked = await hz.api.post(
        "/api/v1/decisions", json=decide, headers={**hz.bureau, **AFTER_PUBLICITY}
    )
    assert blocked.status_code == 409 and blocked.json()["code"] == "decision.objection_open"
    ok(
        await hz.api.post(
            f"/api/v1/objections/{objection['id']}/answer",
            json={"answer": "Scores were checked"},
            headers=hz.as_("demand_owner", s["owner"]),
        )
    )
    ok(
        await hz.api.post(
            f"/api/v1/objections/{objection['id']}/resolve",
            json={"outcome": "dismissed", "reason": "No error found"},
            headers=hz.bureau,
        )
    )
    running = await hz.api.post(
        "/api/v1/decisions", json=decide, headers={**hz.bureau, **REVIEW_TIME}
    )
    assert running.status_code == 409 and running.json()["code"] == "decision.publicity_running"
    decision = ok(
        await hz.api.post(
            "/api/v1/decisions", json=decide, headers={**hz.bureau, **AFTER_PUBLICITY}
        ),
        201,
    )
    assert decision["outcome"] == "approved" and decision["project_id"]
    again = await hz.api.post(
        "/api/v1/decisions", json=decide, headers={**hz.bureau, **AFTER_PUBLICITY}
    )
    assert again.status_code == 409

    pid = decision["project_id"]
    solver = hz.as_("solver", s["leads"][1])
    project = ok(await hz.api.get(f"/api/v1/projects/{pid}", headers=solver))
    assert project["solver_org_id"] == s["leads"][1] and project["owner_org_id"] == s["owner"]
    assert project["funding_status"] in {"pending", "delivered"}
    other = await hz.api.get(f"/api/v1/projects/{pid}", headers=hz.as_("solver", s["leads"][0]))
    assert other.status_code == 404

    ext = ok(
        await hz.api.post(
            f"/api/v1/projects/{pid}/changes",
            json={"kind": "extension", "months": 12, "reason": "delays"},
            headers=solver,
        ),
        201,
    )
    ok(
        await hz.api.post(
            f"/api/v1/projects/{pid}/changes/{ext['id']}/decision",
            json={"approve": True},
            headers=hz.bureau,
        )
    )
    more = await hz.api.post(
        f"/api/v1/projects/{pid}/changes", json={"kind": "extension", "months": 1}, headers=solver
    )
    assert more.status_code == 422 and more.json()["clause"] == "HZ 三(七)"
    lower = await hz.api.post(
        f"/api/v1/projects/{pid}/changes",
        json={"kind": "lower_indicator", "reason": "hard"},
        headers=solver,
    )
    assert lower.status_code == 422 and lower.json()["code"] == "projects.lower_indicator"

    accepted = ok(
        await hz.api.post(
            f"/api/v1/projects/{pid}/acceptance",
            headers=hz.bureau,
            json={
                "outcome": "shortfall",
                "audited_total_investment": "16000000.00",
                "opinion": "Targets partly met",
                "documents": await hz.files("acceptance_opinion", "audit_report"),
            },
        )
    )
    assert accepted["status"] == "accepted" and accepted["extension_months"] == 12
    assert accepted["acceptance_delivery_status"] in {"pending", "delivered"}


async def test_scores_are_secret_and_fixed_after_close(hz: Lifecycle) -> None:
    s = await _reviewed(hz)
    panel = s["panels"]["meeting_review"]
    mine = ok(await hz.api.get(f"/api/v1/panels/{panel['id']}", headers=hz.expert(s["experts"][0])))
    assert {sc["expert_id"] for sc in mine["scores"]} == {s["experts"][0]}
    assert all(e["stage_score"] is None for e in mine["entries"])
    full = ok(await hz.api.get(f"/api/v1/panels/{panel['id']}", headers=hz.bureau))
    assert len(full["scores"]) == 10
    late = await hz.api.put(
        f"/api/v1/panels/{panel['id']}/scores/{s['apps'][0]}",
        json={"score": "10", "comment": "changed my mind"},
        headers=hz.expert(s["experts"][0]),
    )
    assert late.status_code == 409 and late.json()["code"] == "panel.closed"
