"""Tranches, four eyes, settlement, claw-back and repayment through the in-process gateway,
checked against the ledger's balances."""

from typing import Any

import httpx

from tests.conftest import Auth
from tests.finance.conftest import PlanMaker, key

BUREAU_A, BUREAU_B = "bureau-alice", "bureau-bob"


async def pay(
    api: httpx.AsyncClient,
    auth: Auth,
    project_id: str,
    seq: int,
    *,
    sub: str = BUREAU_A,
    city: str = "huzhou",
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    return await api.post(
        "/api/v1/disbursements",
        json={"project_id": project_id, "tranche_seq": seq},
        headers={**auth("bureau", city=city, sub=sub), **(headers or key())},
    )


async def pay_with_four_eyes(
    api: httpx.AsyncClient, auth: Auth, project_id: str, seq: int, city: str = "huzhou"
) -> dict[str, Any]:
    requested = await pay(api, auth, project_id, seq, city=city)
    assert requested.status_code == 201, requested.text
    assert requested.json()["status"] == "pending_approval"
    approved = await api.post(
        f"/api/v1/disbursements/{requested.json()['id']}/approve",
        headers=auth("bureau", city=city, sub=BUREAU_B),
    )
    assert approved.status_code == 200, approved.text
    return dict(approved.json())


async def accept(
    api: httpx.AsyncClient, auth: Auth, project_id: str, city: str = "huzhou", **over: Any
) -> None:
    body = {
        "outcome": "shortfall",
        "audited_total_investment": "16000000.00",
        "unused_amount": "0.00",
        "noncompliant_amount": "0.00",
        "opinion": "验收意见",
    }
    body.update(over)
    response = await api.post(
        f"/api/v1/funding/{project_id}/acceptance", json=body, headers=auth("service", city=city)
    )
    assert response.status_code == 201, response.text


async def settle(
    api: httpx.AsyncClient, auth: Auth, project_id: str, city: str = "huzhou"
) -> httpx.Response:
    return await api.post(
        "/api/v1/settlements",
        json={"project_id": project_id},
        headers={**auth("bureau", city=city, sub=BUREAU_A), **key()},
    )


async def balances(
    api: httpx.AsyncClient, auth: Auth, project_id: str | None = None, city: str = "huzhou"
) -> dict[str, str]:
    params = {"project_id": project_id} if project_id else {}
    response = await api.get(
        "/api/v1/ledger/balances", params=params, headers=auth("auditor", city=city)
    )
    assert response.status_code == 200, response.text
    return {row["account"]: row["balance"] for row in response.json()["items"]}


async def test_huzhou_worked_example_end_to_end_in_the_ledger(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    plan = await make_plan()
    pid = plan["project_id"]
    first = await pay_with_four_eyes(api, auth, pid, 1)
    assert first["amount"] == "1500000.00" and first["approved_by"] == BUREAU_B
    early = await pay(api, auth, pid, 2)
    assert early.status_code == 409 and early.json()["code"] == "tranche.not_due"
    await accept(api, auth, pid)
    settled = await settle(api, auth, pid)
    assert settled.status_code == 201, settled.text
    body = settled.json()
    assert body["recomputed_subsidy"] == "3200000.00"
    assert body["remaining"] == "1700000.00" and body["clawback"] is None
    assert "HZ 三(八)" in body["formula"]["clauses"]
    second = await pay_with_four_eyes(api, auth, pid, 2)
    assert second["amount"] == "1700000.00"
    funding = (await api.get(f"/api/v1/funding/{pid}", headers=auth("auditor"))).json()
    assert funding["paid"] == "3200000.00" and funding["outstanding"] == "0.00"
    ledger = await balances(api, auth, pid)
    assert ledger[f"project:{pid}:solver_paid"] == "3200000.00"
    assert ledger["city:huzhou:subsidy_budget"] == "-3200000.00"


async def test_recomputed_below_first_tranche_opens_claw_back_and_repayments_settle_it(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    plan = await make_plan()
    pid = plan["project_id"]
    await pay_with_four_eyes(api, auth, pid, 1)
    await accept(
        api, auth, pid, outcome="shortfall_consortium", audited_total_investment="8000000.00"
    )
    body = (await settle(api, auth, pid)).json()
    assert body["recomputed_subsidy"] == "1200000.00" and body["remaining"] == "0.00"
    clawback = body["clawback"]
    assert clawback["amount"] == "300000.00" and clawback["clause"] == "HZ 三(八)"
    assert (await pay(api, auth, pid, 2)).json()["code"] == "tranche.cancelled"
    ledger = await balances(api, auth, pid)
    assert ledger[f"project:{pid}:clawback_receivable"] == "300000.00"
    assert ledger[f"project:{pid}:solver_paid"] == "1200000.00"

    url = f"/api/v1/clawbacks/{clawback['id']}/repayments"
    bureau = auth("bureau", sub=BUREAU_A)
    too_much = await api.post(url, json={"amount": "300000.01"}, headers={**bureau, **key()})
    assert too_much.status_code == 409 and too_much.json()["code"] == "clawback.overpayment"
    part = await api.post(url, json={"amount": "100000.00"}, headers={**bureau, **key()})
    assert part.status_code == 201 and part.json()["clawback"]["status"] == "open"
    rest = await api.post(url, json={"amount": "200000.00"}, headers={**bureau, **key()})
    assert rest.json()["clawback"]["status"] == "settled"
    closed = await api.post(url, json={"amount": "0.01"}, headers={**bureau, **key()})
    assert closed.status_code == 409
    ledger = await balances(api, auth, pid)
    assert ledger[f"project:{pid}:clawback_receivable"] == "0.00"
    listed = await api.get("/api/v1/clawbacks", params={"project_id": pid}, headers=auth("auditor"))
    assert [c["status"] for c in listed.json()["items"]] == ["settled"]


async def test_failed_outcome_no_second_tranche_claw_back_of_unused_and_noncompliant(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    plan = await make_plan()
    pid = plan["project_id"]
    await pay_with_four_eyes(api, auth, pid, 1)
    await accept(
        api, auth, pid, outcome="failed", unused_amount="600000.00", noncompliant_amount="150000.25"
    )
    body = (await settle(api, auth, pid)).json()
    assert body["remaining"] == "0.00"
    assert body["clawback"]["amount"] == "750000.25"
    assert [t["status"] for t in body["tranches"]] == ["paid", "cancelled"]
    assert (await pay(api, auth, pid, 2)).status_code == 409


async def test_huzhou_sixty_percent_outcome_pays_the_rest(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    plan = await make_plan()
    pid = plan["project_id"]
    await pay_with_four_eyes(api, auth, pid, 1)
    await accept(api, auth, pid, outcome="shortfall_consortium")
    body = (await settle(api, auth, pid)).json()
    assert body["recomputed_subsidy"] == "2400000.00" and body["remaining"] == "900000.00"
    again = await settle(api, auth, pid)
    assert again.status_code == 409 and again.json()["code"] == "settlement.already_settled"


async def test_urumqi_plan_below_threshold_pays_at_once_and_settles_on_audited_bounty(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    plan = await make_plan("urumqi", bounty_amount="2000000.00")
    pid = plan["project_id"]
    assert plan["subsidy_cap"] == "800000.00"
    paid = await pay(api, auth, pid, 1, city="urumqi")
    assert paid.json()["status"] == "paid" and paid.json()["amount"] == "400000.00"
    await accept(api, auth, pid, city="urumqi", outcome="passed", audited_bounty_paid="1500000.00")
    body = (await settle(api, auth, pid, city="urumqi")).json()
    assert body["recomputed_subsidy"] == "600000.00" and body["remaining"] == "200000.00"


async def test_urumqi_settlement_needs_the_audited_bounty(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    plan = await make_plan("urumqi")
    await accept(api, auth, plan["project_id"], city="urumqi", outcome="passed")
    refused = await settle(api, auth, plan["project_id"], city="urumqi")
    assert refused.status_code == 422 and refused.json()["clause"] == "URC 二(六)"


async def test_four_eyes_refuses_the_requester_and_a_second_approval(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    plan = await make_plan()
    requested = (await pay(api, auth, plan["project_id"], 1)).json()
    url = f"/api/v1/disbursements/{requested['id']}/approve"
    same = await api.post(url, headers=auth("bureau", sub=BUREAU_A))
    assert same.status_code == 403 and same.json()["code"] == "four_eyes.same_user"
    pending = await pay(api, auth, plan["project_id"], 1)
    assert pending.status_code == 409 and pending.json()["code"] == "tranche.payment_pending"
    assert (await balances(api, auth, plan["project_id"])) == {}
    assert (await api.post(url, headers=auth("bureau", sub=BUREAU_B))).status_code == 200
    twice = await api.post(url, headers=auth("bureau", sub="bureau-carol"))
    assert twice.status_code == 409 and twice.json()["code"] == "disbursement.not_pending"
    paid_again = await pay(api, auth, plan["project_id"], 1)
    assert paid_again.json()["code"] == "tranche.already_paid"


async def test_settlement_waits_for_a_pending_approval(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    plan = await make_plan()
    await pay(api, auth, plan["project_id"], 1)
    await accept(api, auth, plan["project_id"])
    refused = await settle(api, auth, plan["project_id"])
    assert refused.status_code == 409 and refused.json()["code"] == "settlement.payment_pending"


async def test_settlement_before_acceptance_is_a_conflict(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    plan = await make_plan()
    refused = await settle(api, auth, plan["project_id"])
    assert refused.status_code == 409 and refused.json()["code"] == "settlement.not_accepted"


async def test_acceptance_is_idempotent_and_refuses_other_figures(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    plan = await make_plan()
    url = f"/api/v1/funding/{plan['project_id']}/acceptance"
    body = {"outcome": "passed", "audited_total_investment": "20000000.00"}
    assert (await api.post(url, json=body, headers=auth("service"))).status_code == 201
    assert (await api.post(url, json=body, headers=auth("service"))).status_code == 200
    other = await api.post(url, json={**body, "outcome": "failed"}, headers=auth("service"))
    assert other.status_code == 409
    bad = await api.post(url, json={**body, "outcome": "great"}, headers=auth("service"))
    assert bad.status_code == 422


async def test_idempotency_key_replays_and_refuses_another_body(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    plan = await make_plan("urumqi", bounty_amount="2000000.00")
    pid, same_key = plan["project_id"], key()
    first = await pay(api, auth, pid, 1, city="urumqi", headers=same_key)
    again = await pay(api, auth, pid, 1, city="urumqi", headers=same_key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert again.headers["idempotent-replayed"] == "true"
    other = await pay(api, auth, pid, 2, city="urumqi", headers=same_key)
    assert other.status_code == 409 and other.json()["code"] == "idempotency.key_reused"
    entries = await api.get(
        "/api/v1/ledger/entries", params={"project_id": pid}, headers=auth("auditor", city="urumqi")
    )
    assert len(entries.json()["items"]) == 2


async def test_money_posts_without_idempotency_key_are_refused(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    plan = await make_plan()
    bureau = auth("bureau")
    for path, body in (
        ("/api/v1/disbursements", {"project_id": plan["project_id"], "tranche_seq": 1}),
        ("/api/v1/settlements", {"project_id": plan["project_id"]}),
        (f"/api/v1/clawbacks/{plan['project_id']}/repayments", {"amount": "1.00"}),
    ):
        response = await api.post(path, json=body, headers=bureau)
        assert response.status_code == 422, (path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_disbursement_report_csv_has_bom_and_chinese_headers(
    api: httpx.AsyncClient, auth: Auth, make_plan: PlanMaker
) -> None:
    plan = await make_plan("urumqi", bounty_amount="2000000.00")
    await pay(api, auth, plan["project_id"], 1, city="urumqi")
    params = {"format": "csv", "project_id": plan["project_id"]}
    response = await api.get(
        "/api/v1/reports/disbursements", params=params, headers=auth("auditor", city="urumqi")
    )
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("拨付编号")
    assert len(lines) == 2 and "400000.00" in lines[1]
    as_json = await api.get(
        "/api/v1/reports/disbursements",
        params={**params, "format": "json"},
        headers=auth("bureau", city="urumqi"),
    )
    assert [r["amount"] for r in as_json.json()["items"]] == ["400000.00"]
    assert as_json.json()["next_cursor"] is None
    bad = await api.get(
        "/api/v1/reports/disbursements", params={"format": "xls"}, headers=auth("auditor")
    )
    assert bad.status_code == 422
