"""Acceptance facts through the real gateway (issue #11 item 8): the figure the city's
settlement rests on is required at the door, findings must lie within what was paid, and a
recorded acceptance can be corrected with a reason, audited, until settlement."""

import uuid
from typing import Any

from tests.review.conftest import Lifecycle, decide, ok, urumqi_public


async def _paid_project(urc: Lifecycle) -> str:
    """An approved, started Urumqi project (cap 3,200,000.00) with tranche 1 (1,600,000.00)
    paid."""
    s = await urumqi_public(urc)
    project = ok(await decide(urc, s["challenge"]["id"], s["apps"][0]), 201)["project_id"]
    await urc.start(project, s["owner"])
    key = {"Idempotency-Key": uuid.uuid4().hex}
    paid = ok(
        await urc.api.post(
            "/api/v1/disbursements",
            json={"project_id": project, "tranche_seq": 1},
            headers={**urc.bureau, **key},
        ),
        201,
    )
    checker = urc.as_("bureau", sub="checker-2")
    ok(await urc.api.post(f"/api/v1/disbursements/{paid['id']}/approve", headers=checker))
    return str(project)


def _acceptance(**over: Any) -> dict[str, Any]:
    return {
        "outcome": "passed",
        "audited_total_investment": "12000000.00",
        "audited_bounty_paid": "8000000.00",
        "opinion": "通过验收",
        "accepted_by": {"kind": "third_party", "name": "新疆科技评估中心"},
        "audit_report": {"firm_name": "天山会计师事务所"},
        **over,
    }


async def test_acceptance_needs_the_settlement_base_and_consistent_findings(
    urc: Lifecycle,
) -> None:
    project = await _paid_project(urc)
    url = f"/api/v1/projects/{project}/acceptance"
    files = await urc.files("acceptance_opinion", "audit_report")
    missing = await urc.api.post(
        url, json=_acceptance(audited_bounty_paid=None, documents=files), headers=urc.bureau
    )
    assert missing.status_code == 422, missing.text
    assert (missing.json()["code"], missing.json()["clause"]) == (
        "acceptance.fact_missing",
        "URC 二(六)",
    )
    too_much = await urc.api.post(
        url,
        json=_acceptance(
            outcome="failed",
            unused_amount="1600000.00",
            noncompliant_amount="0.01",
            documents=files,
        ),
        headers=urc.bureau,
    )
    assert too_much.status_code == 422
    assert too_much.json()["code"] == "acceptance.findings_inconsistent"


async def test_a_recorded_acceptance_is_corrected_with_a_reason_until_settled(
    urc: Lifecycle,
) -> None:
    project = await _paid_project(urc)
    base = f"/api/v1/projects/{project}/acceptance"
    files = await urc.files("acceptance_opinion", "audit_report")
    accepted = ok(
        await urc.api.post(
            base,
            json=_acceptance(audited_bounty_paid="800000.00", documents=files),
            headers=urc.bureau,
        )
    )
    no_reason = await urc.api.post(f"{base}/corrections", json=_acceptance(), headers=urc.bureau)
    assert no_reason.status_code == 422
    refiled = await urc.api.post(
        f"{base}/corrections",
        json=_acceptance(reason="new files", documents=files),
        headers=urc.bureau,
    )
    assert refiled.status_code == 422 and refiled.json()["code"] == "acceptance.documents_kept"
    corrected = ok(
        await urc.api.post(
            f"{base}/corrections",
            json=_acceptance(reason="Audit report p. 3: 8,000,000.00 paid, not 800,000.00"),
            headers=urc.bureau,
        )
    )
    assert corrected["acceptance"]["revision"] == 1
    # the correction keeps the stored opinion and audit report of the acceptance
    assert corrected["acceptance"]["documents"] == accepted["acceptance"]["documents"]
    settled = ok(
        await urc.api.post(
            "/api/v1/settlements",
            json={"project_id": project},
            headers={**urc.bureau, "Idempotency-Key": uuid.uuid4().hex},
        ),
        201,
    )
    assert settled["recomputed_subsidy"] == "3200000.00"  # 40 % of the corrected 8,000,000.00
    late = await urc.api.post(
        f"{base}/corrections", json=_acceptance(reason="again"), headers=urc.bureau
    )
    assert late.status_code == 409 and late.json()["code"] == "acceptance.settled"
