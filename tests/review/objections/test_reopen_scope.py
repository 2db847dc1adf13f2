"""An upheld objection reopens only the scores it concerns: the named application's scores
may be corrected, every other score on the panel stays fixed; re-closing the panel recomputes
the challenge's results from the corrected scores."""

from tests.review.conftest import REVIEW_TIME, Lifecycle, ok
from tests.review.test_flow_urumqi import _reviewed


async def test_an_upheld_objection_reopens_only_its_applications_scores(urc: Lifecycle) -> None:
    s = await _reviewed(urc, n_apps=2)
    cid, (objected, other), panel = s["challenge"]["id"], s["apps"], s["panel"]
    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/choice",
            headers=urc.as_("demand_owner", s["owner"]),
            json={"application_id": other},
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
            json={"challenge_id": cid, "application_id": objected, "text": "Scored too low"},
            headers={**urc.as_("solver", s["leads"][0]), **REVIEW_TIME},
        ),
        201,
    )
    ok(
        await urc.api.post(
            f"/api/v1/objections/{objection['id']}/resolve",
            headers=urc.bureau,
            json={"outcome": "upheld", "reason": "Re-score the objected application"},
        )
    )
    expert = panel["expert_ids"][0]
    url = f"/api/v1/panels/{panel['id']}/scores"
    rescored = await urc.api.put(
        f"{url}/{objected}",
        json={"score": "95", "comment": "corrected"},
        headers=urc.expert(expert),
    )
    assert rescored.status_code == 204, rescored.text
    fixed = await urc.api.put(
        f"{url}/{other}",
        json={"score": "10", "comment": "not reopened"},
        headers=urc.expert(expert),
    )
    assert fixed.status_code == 409 and fixed.json()["code"] == "panel.closed"

    ok(await urc.api.post(f"/api/v1/panels/{panel['id']}/close", headers=urc.bureau))
    again = await urc.api.post(f"/api/v1/panels/{panel['id']}/close", headers=urc.bureau)
    assert again.status_code == 409 and again.json()["code"] == "panel.closed"
    after = await urc.api.put(
        f"{url}/{objected}", json={"score": "96", "comment": "too late"}, headers=urc.expert(expert)
    )
    assert after.status_code == 409
    results = ok(
        await urc.api.get("/api/v1/results", params={"challenge_id": cid}, headers=urc.bureau)
    )
    totals = {r["application_id"]: r for r in results["items"]}
    assert float(totals[objected]["total"]) > float(totals[other]["total"])  # 95 counted
