"""Urumqi's order through the gateway (URC 二(三)–(五), 二(七), 三(四)): the bureau's opinion
on the solvers goes to the owner; publicity follows expert review directly (no joint review,
no meeting); no 立项 without the agreement; the owner's responsibility letter and project
manager before the project starts; acceptance names who accepted and the audit firm."""

from tests.review.conftest import AFTER_PUBLICITY, REVIEW_TIME, Lifecycle, ok
from tests.review.test_flow_urumqi import _consents, _reviewed


async def test_urumqi_procedure_in_its_order(urc: Lifecycle) -> None:
    s = await _reviewed(urc, n_apps=2)
    cid, apps = s["challenge"]["id"], s["apps"]
    owner = urc.as_("demand_owner", s["owner"])

    opinion = {"application_id": apps[0], "opinion": "研发团队稳定，中试条件完备"}
    given = ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/evaluation-opinions", json=opinion, headers=urc.bureau
        )
    )
    assert given["evaluation_opinions"][0]["clause"] == "URC 二(三)"
    seen = ok(await urc.api.get("/api/v1/results", params={"challenge_id": cid}, headers=owner))
    assert seen["evaluation_opinions"][0]["opinion"] == opinion["opinion"]

    no_step = await urc.api.post(
        "/api/v1/proposals",
        json={
            "challenge_id": cid,
            "application_id": apps[0],
            "credit": {"source": "信用中国", "checked_on": "2025-05-09", "result": "pass"},
        },
        headers=urc.bureau,
    )
    assert no_step.status_code == 409 and no_step.json()["code"] == "procedure.no_step"

    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/horse-race",
            headers=urc.bureau,
            json={"consents": _consents(apps)},
        )
    )
    # publicity right after expert review: nothing else comes first in Urumqi
    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/publicity", headers={**urc.bureau, **REVIEW_TIME}
        )
    )
    decide = {"challenge_id": cid, "outcome": "approve"}
    unsigned = ok(
        await urc.api.post(
            "/api/v1/decisions",
            json={**decide, "application_id": apps[0]},
            headers={**urc.bureau, **AFTER_PUBLICITY},
        ),
        201,
    )
    assert unsigned["outcome"] == "not_completed" and unsigned["project_id"] is None
    signed = ok(
        await urc.api.post(
            "/api/v1/decisions",
            json={
                **decide,
                "application_id": apps[1],
                "agreement_signed_at": "2025-05-15T10:00:00+08:00",
                "documents": await urc.files("agreement"),
            },
            headers={**urc.bureau, **AFTER_PUBLICITY},
        ),
        201,
    )
    pid = signed["project_id"]

    body = {
        "outcome": "passed",
        "audited_total_investment": "12000000.00",
        "audited_bounty_paid": "8000000.00",
        "opinion": "通过验收",
        "documents": await urc.files("acceptance_opinion", "audit_report"),
    }
    not_started = await urc.api.post(
        f"/api/v1/projects/{pid}/acceptance", json=body, headers=urc.bureau
    )
    assert not_started.status_code == 409
    assert not_started.json()["code"] == "project.owner_duties_missing"
    assert not_started.json()["clause"] == "URC 三(四)"
    started = await urc.start(pid, s["owner"])
    assert started["owner_duties"]["project_manager"]["name"] == "Zhao Min"

    anonymous = await urc.api.post(
        f"/api/v1/projects/{pid}/acceptance", json=body, headers=urc.bureau
    )
    assert anonymous.status_code == 422 and anonymous.json()["clause"] == "URC 二(七)"
    assert {e["code"] for e in anonymous.json()["errors"]} == {
        "projects.acceptance_by",
        "projects.audit_report",
    }
    accepted = ok(
        await urc.api.post(
            f"/api/v1/projects/{pid}/acceptance",
            json={
                **body,
                "accepted_by": {"kind": "third_party", "name": "新疆科技评估中心"},
                "audit_report": {"firm_name": "天山会计师事务所", "report_no": "审字 2026-17"},
            },
            headers=urc.bureau,
        )
    )
    assert accepted["status"] == "accepted"
    assert accepted["acceptance"]["audit_report"]["firm_name"] == "天山会计师事务所"
    assert accepted["acceptance_delivery_status"] in {"pending", "delivered"}
