"""Settlement and payments after acceptance through the in-process gateway (issue #11 items 8,
9, 10): findings reduce what is kept with no cliff, inconsistent findings are refused, and a
closed or failed acceptance ends the payments, a pending approval included."""

import httpx

from tests.conftest import Auth
from tests.finance.conftest import PlanMaker
from tests.finance.test_money_flow import BUREAU_B, accept, pay, pay_with_four_eyes, settle


async def test_findings_reduce_the_rest_without_an_excess(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    pid = (await make_plan())["project_id"]
    await pay_with_four_eyes(api, auth, pid, 1)
    await accept(api, auth, pid, unused_amount="100000.00", noncompliant_amount="20000.00")
    body = (await settle(api, auth, pid)).json()
    # kept = 3,200,000.00 − 120,000.00; rest = kept − 1,500,000.00 paid
    assert (body["recomputed_subsidy"], body["remaining"]) == ("3200000.00", "1580000.00")
    assert body["clawback"] is None and "HZ 三(八)" in body["formula"]["en"]


async def test_findings_above_what_was_paid_are_refused(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    pid = (await make_plan())["project_id"]
    await pay_with_four_eyes(api, auth, pid, 1)
    await accept(
        api, auth, pid, outcome="failed", unused_amount="1500000.00", noncompliant_amount="0.01"
    )
    refused = await settle(api, auth, pid)
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "settlement.findings_inconsistent"


async def test_no_first_tranche_after_a_failed_acceptance(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    unpaid = (await make_plan())["project_id"]
    await accept(api, auth, unpaid, outcome="failed")
    refused = await pay(api, auth, unpaid, 1)
    assert refused.status_code == 409 and refused.json()["code"] == "tranche.acceptance_ended"
    assert refused.json()["clause"] == "HZ 三(八)"

    pending = (await make_plan())["project_id"]
    requested = (await pay(api, auth, pending, 1)).json()
    await accept(api, auth, pending, outcome="closed")
    approve = await api.post(
        f"/api/v1/disbursements/{requested['id']}/approve", headers=auth("bureau", sub=BUREAU_B)
    )
    assert approve.status_code == 409 and approve.json()["code"] == "tranche.acceptance_ended"
    body = (await settle(api, auth, pending)).json()
    assert [t["status"] for t in body["tranches"]] == ["cancelled", "cancelled"]
    listed = await api.get(
        "/api/v1/disbursements", params={"project_id": pending}, headers=auth("auditor")
    )
    assert [d["status"] for d in listed.json()["items"]] == ["cancelled"]
