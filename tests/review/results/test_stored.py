"""Results are computed once when the last stage closes and stored; reading is a ranked page of
stored rows (``limit``/``cursor``) and one application's explanation is its own read."""

from typing import Any

from tests.review.conftest import REVIEW_TIME, Lifecycle, ok


async def _closed(urc: Lifecycle, scores: list[int]) -> tuple[str, list[str], list[str], Any]:
    owner = await urc.org()
    challenge = await urc.challenge(owner)
    leads = [await urc.org() for _ in scores]
    apps = [await urc.application(challenge["id"], lead) for lead in leads]
    experts = await urc.experts(3)
    panel = ok(
        await urc.panel(challenge["round_id"], "plan_review", [challenge["id"]], experts), 201
    )
    await urc.score_all(panel, {a: [str(s)] * 3 for a, s in zip(apps, scores, strict=True)})
    early = await urc.api.get(
        "/api/v1/results", params={"challenge_id": challenge["id"]}, headers=urc.bureau
    )
    assert early.status_code == 409 and early.json()["code"] == "results.not_ready"
    ok(await urc.api.post(f"/api/v1/panels/{panel['id']}/close", headers=urc.bureau))
    return str(challenge["id"]), apps, leads, owner


async def _page(urc: Lifecycle, cid: str, **params: Any) -> tuple[dict[str, Any], int]:
    response = await urc.api.get(
        "/api/v1/results", params={"challenge_id": cid, **params}, headers=urc.bureau
    )
    return ok(response), int(response.headers["x-db-statements"])


async def test_results_are_stored_ranked_and_paged(urc: Lifecycle) -> None:
    cid, apps, _, _ = await _closed(urc, [70, 90, 80])
    first, first_statements = await _page(urc, cid, limit=2)
    assert [r["rank"] for r in first["items"]] == [1, 2]
    assert [r["application_id"] for r in first["items"]] == [apps[1], apps[2]]
    assert first["items"][0]["total"] == "90.00" and first["items"][0]["band"]
    assert set(first["items"][0]) >= {"stage_scores", "qualified", "winner", "explanation"}
    assert first["next_cursor"]
    rest, rest_statements = await _page(urc, cid, limit=2, cursor=first["next_cursor"])
    assert [(r["rank"], r["application_id"]) for r in rest["items"]] == [(3, apps[0])]
    assert rest["next_cursor"] is None
    # A stored read: the same few statements for any page, nothing recomputed per request.
    assert first_statements == rest_statements <= 4
    bad = await urc.api.get(
        "/api/v1/results", params={"challenge_id": cid, "cursor": "nonsense"}, headers=urc.bureau
    )
    assert bad.status_code == 400 and bad.json()["code"] == "request.cursor"

    one = ok(await urc.api.get(f"/api/v1/results/{cid}/applications/{apps[0]}", headers=urc.bureau))
    assert one["rank"] == 3 and one["total"] == "70.00"
    assert "URC 二(四)" in {step["clause"] for step in one["explanation"]}


async def test_choice_recomputes_the_stored_winner(urc: Lifecycle) -> None:
    cid, apps, leads, owner = await _closed(urc, [85, 75])
    page, _ = await _page(urc, cid)
    assert not any(r["winner"] for r in page["items"])  # owner_choice: nobody until chosen
    chooser = urc.as_("demand_owner", owner)
    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/choice", json={"application_id": apps[1]}, headers=chooser
        )
    )
    page, _ = await _page(urc, cid)
    assert {r["application_id"]: r["winner"] for r in page["items"]} == {
        apps[0]: False,
        apps[1]: True,
    }
    # Solvers see only their own organisation's result once publicity opened.
    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/publicity", headers={**urc.bureau, **REVIEW_TIME}
        )
    )
    solver = urc.as_("solver", leads[0])
    mine = ok(await urc.api.get("/api/v1/results", params={"challenge_id": cid}, headers=solver))
    assert [r["application_id"] for r in mine["items"]] == [apps[0]]
    other = await urc.api.get(f"/api/v1/results/{cid}/applications/{apps[1]}", headers=solver)
    assert other.status_code == 404
