"""Urumqi: owner-choice results, the horse race (赛马) with consent and its soft limit, and the
unsigned agreement that leaves the review not completed (URC 二(四), 二(五))."""

from tests.review.conftest import AFTER_PUBLICITY, REVIEW_TIME, Lifecycle, ok


async def _reviewed(urc: Lifecycle, n_apps: int = 4) -> dict:
    owner = await urc.org()
    challenge = await urc.challenge(owner)
    leads = [await urc.org() for _ in range(n_apps)]
    apps = [await urc.application(challenge["id"], lead) for lead in leads]
    experts = await urc.experts(3)
    panel = ok(
        await urc.panel(challenge["round_id"], "plan_review", [challenge["id"]], experts), 201
    )
    await urc.score_all(
        panel, {a: [str(70 + i), str(70 + i), str(71 + i)] for i, a in enumerate(apps)}
    )
    ok(await urc.api.post(f"/api/v1/panels/{panel['id']}/close", headers=urc.bureau))
    return {"owner": owner, "challenge": challenge, "apps": apps, "leads": leads, "panel": panel}


def _consents(apps: list[str]) -> list[dict]:
    return [
        {"application_id": a, "consent": True, "by": f"legal rep {i}"} for i, a in enumerate(apps)
    ]


async def test_urumqi_horse_race_to_projects(urc: Lifecycle) -> None:
    s = await _reviewed(urc)
    cid, apps = s["challenge"]["id"], s["apps"]
    results = ok(
        await urc.api.get("/api/v1/results", params={"challenge_id": cid}, headers=urc.bureau)
    )
    assert not any(r["winner"] for r in results["items"])  # owner_choice: nobody automatically
    four = await urc.api.post(
        f"/api/v1/results/{cid}/horse-race", headers=urc.bureau, json={"consents": _consents(apps)}
    )
    assert four.status_code == 422 and four.json()["code"] == "results.horse_race_max"
    assert four.json()["clause"] == "URC 二(四)"
    overridden = ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/horse-race",
            headers=urc.bureau,
            json={"consents": _consents(apps), "override_reason": "Four strong routes"},
        )
    )
    assert overridden["override_reason"] == "Four strong routes"
    race = ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/horse-race",
            headers=urc.bureau,
            json={"consents": _consents(apps[:3])},
        )
    )
    assert {r["application_id"] for r in race["items"] if r["winner"]} == set(apps[:3])
    assert race["override_reason"] is None
    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/publicity", headers={**urc.bureau, **REVIEW_TIME}
        )
    )
    signed = "2025-05-01T10:00:00+08:00"
    decisions = []
    for app, agreement in zip(apps[:3], [signed, signed, None], strict=True):
        decisions.append(
            ok(
                await urc.api.post(
                    "/api/v1/decisions",
                    headers={**urc.bureau, **AFTER_PUBLICITY},
                    json={
                        "challenge_id": cid,
                        "application_id": app,
                        "outcome": "approve",
                        "agreement_signed_at": agreement,
                        "documents": await urc.files("agreement") if agreement else [],
                    },
                ),
                201,
            )
        )
    assert [d["outcome"] for d in decisions] == ["approved", "approved", "not_completed"]
    assert decisions[2]["project_id"] is None
    assert decisions[2]["explanation"][0]["clause"] == "URC 二(五)"
    project = ok(
        await urc.api.get(
            f"/api/v1/projects/{decisions[0]['project_id']}",
            headers=urc.as_("demand_owner", s["owner"]),
        )
    )
    assert project["bounty_amount"] == "8000000.00" and project["ruleset_version"] == "2024.33"
    loser = await urc.api.post(
        "/api/v1/decisions",
        headers={**urc.bureau, **AFTER_PUBLICITY},
        json={
            "challenge_id": cid,
            "application_id": apps[3],
            "outcome": "approve",
            "agreement_signed_at": signed,
            "documents": await urc.files("agreement"),
        },
    )
    assert loser.status_code == 422 and loser.json()["code"] == "decision.not_winner"
    early = await urc.api.post(
        f"/api/v1/projects/{project['id']}/changes",
        json={"kind": "extension", "months": 3, "reason": "late"},
        headers=urc.bureau,
    )
    assert early.status_code == 409 and early.json()["clause"] == "URC 三(四)"
    await urc.start(project["id"], s["owner"])
    pi = await urc.api.post(
        f"/api/v1/projects/{project['id']}/changes",
        json={"kind": "pi_change", "pi": {"name": "Zhang San"}},
        headers=urc.bureau,
    )
    assert pi.status_code == 422 and pi.json()["code"] == "projects.pi_change_reason"
    replace = await urc.api.post(
        f"/api/v1/projects/{project['id']}/changes",
        json={"kind": "replace_solver", "reason": "slow"},
        headers=urc.bureau,
    )
    assert replace.status_code == 422 and replace.json()["clause"] == "URC 二(七)"


async def test_horse_race_needs_every_consent(urc: Lifecycle) -> None:
    s = await _reviewed(urc, n_apps=2)
    refused = await urc.api.post(
        f"/api/v1/results/{s['challenge']['id']}/horse-race",
        headers=urc.bureau,
        json={"consents": [{"application_id": s["apps"][0], "consent": False, "by": "x"}]},
    )
    assert refused.status_code == 422


async def test_upheld_objection_reopens_panels_and_blocks_decision(urc: Lifecycle) -> None:
    s = await _reviewed(urc, n_apps=1)
    cid = s["challenge"]["id"]
    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/choice",
            headers=urc.as_("demand_owner", s["owner"]),
            json={"application_id": s["apps"][0]},
        )
    )
    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/publicity", headers={**urc.bureau, **REVIEW_TIME}
        )
    )
    objection = ok(
        await urc.api.post(
            "/api/v1/objections",
            json={"challenge_id": cid, "text": "Expert was conflicted"},
            headers={**urc.as_("solver", await urc.org()), **REVIEW_TIME},
        ),
        201,
    )
    wrong_owner = await urc.api.post(
        f"/api/v1/objections/{objection['id']}/answer",
        json={"answer": "no"},
        headers=urc.as_("demand_owner", await urc.org()),
    )
    assert wrong_owner.status_code == 404
    ok(
        await urc.api.post(
            f"/api/v1/objections/{objection['id']}/resolve",
            headers=urc.bureau,
            json={"outcome": "upheld", "reason": "Re-score"},
        )
    )
    decision = await urc.api.post(
        "/api/v1/decisions",
        headers={**urc.bureau, **AFTER_PUBLICITY},
        json={"challenge_id": cid, "application_id": s["apps"][0], "outcome": "approve"},
    )
    assert decision.status_code == 409 and decision.json()["code"] == "decision.not_public"
    results = await urc.api.get("/api/v1/results", params={"challenge_id": cid}, headers=urc.bureau)
    assert results.status_code == 409 and results.json()["code"] == "results.not_ready"
    late = await urc.api.post(
        "/api/v1/objections",
        json={"challenge_id": cid, "text": "x"},
        headers={**urc.as_("solver", s["leads"][0]), **AFTER_PUBLICITY},
    )
    assert late.status_code == 409
