"""Huzhou's order through the gateway (HZ 三(四)4–5, 三(五), 三(六)): the divisions' joint
review, the director meeting (拟立项), publicity of the proposed project after the decision,
立项 when it ends without objection, the contract, and tranche 1 only after 立项."""

from typing import Any

from tests.review.conftest import AFTER_PUBLICITY, REVIEW_TIME, Lifecycle, ok
from tests.review.test_flow_huzhou import _reviewed

CREDIT = {"source": "信用中国（湖州）", "checked_on": "2025-05-09", "result": "pass"}


async def _joint_review(hz: Lifecycle, cid: str, app: str, **over: Any) -> Any:
    body = {"challenge_id": cid, "application_id": app, "credit": CREDIT, **over}
    return await hz.api.post("/api/v1/proposals", json=body, headers={**hz.bureau, **REVIEW_TIME})


def _meeting(app: str, outcome: str = "approve") -> dict[str, Any]:
    return {
        "held_on": "2025-05-10",
        "attendees": ["局长", "分管副局长", "计划处"],
        "minutes": "集体审议",
        "minutes_document_id": "7d8a51e2-93a4-4f43-9a52-5c6c0c1b7a11",
        "decisions": [{"application_id": app, "outcome": outcome}],
    }


async def test_huzhou_decides_before_it_publicises_and_pays_after_establishment(
    hz: Lifecycle,
) -> None:
    s = await _reviewed(hz)
    cid, loser, winner = s["challenge"]["id"], s["apps"][0], s["apps"][1]
    publicity = f"/api/v1/results/{cid}/publicity"
    decide = {"challenge_id": cid, "application_id": winner, "outcome": "approve"}

    early = await hz.api.post(publicity, headers={**hz.bureau, **REVIEW_TIME})
    assert early.status_code == 409 and early.json()["code"] == "procedure.out_of_order"
    assert early.json()["clause"] == "HZ 三(四)4"
    no_project = await hz.api.post(
        "/api/v1/decisions", json=decide, headers={**hz.bureau, **AFTER_PUBLICITY}
    )
    assert no_project.status_code == 409 and no_project.json()["code"] == "decision.not_public"
    unreviewed = await hz.api.post(
        "/api/v1/decision-meetings", json=_meeting(winner), headers=hz.bureau
    )
    assert unreviewed.status_code == 404

    not_winner = await _joint_review(hz, cid, loser)
    assert not_winner.status_code == 422 and not_winner.json()["code"] == "procedure.not_winner"
    # no quota for the year yet, and a failed credit check: both recorded, both block
    failed = ok(await _joint_review(hz, cid, winner, credit={**CREDIT, "result": "fail"}), 201)
    assert failed["status"] == "joint_review_failed"
    by_check = {c["check"]: c for c in failed["checks"]}
    assert by_check["credit"]["result"] == by_check["quota"]["result"] == "failed"
    assert by_check["conditions"]["result"] == by_check["budget"]["result"] == "passed"
    assert by_check["credit"]["by"] and by_check["credit"]["at"]
    blocked = await hz.api.post(
        "/api/v1/decision-meetings", json=_meeting(winner), headers=hz.bureau
    )
    assert blocked.status_code == 409 and blocked.json()["clause"] == "HZ 三(四)4"

    ok(await hz.api.put("/api/v1/quotas/2025", json={"projects": 1}, headers=hz.bureau))
    passed = ok(await _joint_review(hz, cid, winner), 201)
    assert passed["status"] == "joint_review_passed"
    still = await hz.api.post(publicity, headers={**hz.bureau, **REVIEW_TIME})
    assert still.status_code == 409 and still.json()["clause"] == "HZ 三(四)5"

    meeting = ok(
        await hz.api.post("/api/v1/decision-meetings", json=_meeting(winner), headers=hz.bureau),
        201,
    )
    assert meeting["minutes_document_id"] and len(meeting["attendees"]) == 3
    proposal = ok(await hz.api.get(f"/api/v1/proposals/{winner}", headers=hz.bureau))
    assert proposal["status"] == "proposed" and proposal["meeting_id"] == meeting["id"]
    quota = ok(await hz.api.get("/api/v1/quotas/2025", headers=hz.bureau))
    assert quota == {"year": 2025, "projects": 1, "used": 1}

    ok(await hz.api.post(publicity, headers={**hz.bureau, **REVIEW_TIME}))
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
    pid = decision["project_id"]
    assert decision["explanation"][0]["clause_text"]
    plan = ok(await hz.api.get(f"/api/v1/funding/{pid}", headers=hz.bureau))
    assert [(t["seq"], t["status"]) for t in plan["tranches"]] == [(1, "due"), (2, "planned")]
    contract = ok(
        await hz.api.post(
            f"/api/v1/projects/{pid}/contract",
            json={
                "signed_on": "2025-05-21",
                "contract": {"kind": "contract", "title": "项目合同书"},
            },
            headers=hz.bureau,
        )
    )
    assert contract["contract"]["signed_on"] == "2025-05-21"


async def test_a_proposal_the_meeting_rejects_is_never_established(hz: Lifecycle) -> None:
    s = await _reviewed(hz)
    cid, winner = s["challenge"]["id"], s["apps"][1]
    ok(await hz.api.put("/api/v1/quotas/2025", json={"projects": 5}, headers=hz.bureau))
    ok(await _joint_review(hz, cid, winner), 201)
    ok(
        await hz.api.post(
            "/api/v1/decision-meetings", json=_meeting(winner, "reject"), headers=hz.bureau
        ),
        201,
    )
    refused = await hz.api.post(
        f"/api/v1/results/{cid}/publicity", headers={**hz.bureau, **REVIEW_TIME}
    )
    assert refused.status_code == 409 and refused.json()["clause"] == "HZ 三(四)5"
    again = await _joint_review(hz, cid, winner)
    assert again.status_code == 409 and again.json()["code"] == "procedure.decided"


async def test_quota_full_needs_a_reasoned_exception(hz: Lifecycle) -> None:
    s = await _reviewed(hz)
    cid, winner = s["challenge"]["id"], s["apps"][1]
    ok(await hz.api.put("/api/v1/quotas/2025", json={"projects": 0}, headers=hz.bureau))
    full = ok(await _joint_review(hz, cid, winner), 201)
    assert full["status"] == "joint_review_failed"
    reason = "市政府专题会议确定的重点产业链项目，超控制数立项"
    excepted = ok(await _joint_review(hz, cid, winner, exception_reason=reason), 201)
    assert excepted["status"] == "joint_review_passed" and excepted["exception_reason"] == reason
    assert {c["check"]: c["result"] for c in excepted["checks"]}["quota"] == "excepted"
