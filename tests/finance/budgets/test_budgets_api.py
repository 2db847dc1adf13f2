"""The annual budget (年度预算) through the in-process gateway: four eyes on appropriations,
plans that wait when the budget cannot hold them, payments, settlement and repayments moving
the totals, the ledger agreeing, and review refusing a decision the budget cannot hold."""

from typing import Any

import httpx

from tests.conftest import Auth
from tests.finance.budget import appropriate
from tests.finance.conftest import key, plan_body
from tests.finance.test_money_flow import accept, pay_with_four_eyes
from tests.review.conftest import AFTER_PUBLICITY, REVIEW_TIME, Lifecycle, ok
from tests.review.test_flow_huzhou import _reviewed

YEAR = 2030
APPROVED = f"{YEAR}-06-01T10:00:00+08:00"
A, B = "budget-alice", "budget-bob"


async def totals(api: httpx.AsyncClient, auth: Auth, city: str = "huzhou") -> dict[str, Any]:
    answer = await api.get(f"/api/v1/budgets?year={YEAR}", headers=auth("auditor", city=city))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    [item] = body["items"]
    return {**item, "consistent": body["consistent_with_ledger"], "clause": body["clause"]}


async def record(
    api: httpx.AsyncClient,
    auth: Auth,
    amount: str,
    kind: str = "appropriation",
    city: str = "huzhou",
) -> dict[str, Any]:
    body = {"year": YEAR, "kind": kind, "amount": amount, "reason": "预算"}
    answer = await api.post("/api/v1/budgets", json=body, headers=auth("bureau", city=city, sub=A))
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def confirm(
    api: httpx.AsyncClient, auth: Auth, entry: dict[str, Any], sub: str = B, city: str = "huzhou"
) -> httpx.Response:
    return await api.post(
        f"/api/v1/budgets/entries/{entry['id']}/confirm", headers=auth("bureau", city=city, sub=sub)
    )


async def new_plan(api: httpx.AsyncClient, auth: Auth, **over: Any) -> dict[str, Any]:
    body = plan_body(approved_at=APPROVED, **over)
    answer = await api.post("/api/v1/funding", json=body, headers=auth("service"))
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def test_only_a_confirmed_appropriation_counts(api: httpx.AsyncClient, auth: Auth) -> None:
    entry = await record(api, auth, "6000000.00")
    before = await totals(api, auth)
    assert (before["appropriated"], before["available"]) == ("0.00", "0.00")
    assert [e["id"] for e in before["pending_entries"]] == [entry["id"]]

    same = await confirm(api, auth, entry, sub=A)
    assert same.status_code == 409 and same.json()["code"] == "four_eyes.same_user"
    assert same.json()["clause"] == "silent"  # four eyes: the texts are silent

    plan = await new_plan(api, auth)  # arrives while the appropriation is unconfirmed
    pid = plan["project_id"]
    assert plan["status"] == "awaiting_budget"
    assert plan["tranches"][0]["status"] == "awaiting_budget"
    paid = await api.post(
        "/api/v1/disbursements",
        json={"project_id": pid, "tranche_seq": 1},
        headers={**auth("bureau", sub=A), **key()},
    )
    assert paid.status_code == 409 and paid.json()["code"] == "budget.awaiting"
    waiting = await totals(api, auth)
    assert (waiting["awaiting_plans"], waiting["awaiting_amount"]) == (1, "5000000.00")

    confirmed = await confirm(api, auth, entry)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    plan = (await api.get(f"/api/v1/funding/{pid}", headers=auth("auditor"))).json()
    assert plan["status"] == "active" and plan["tranches"][0]["status"] == "due"
    after = await totals(api, auth)
    assert (after["appropriated"], after["committed"], after["paid"], after["available"]) == (
        "6000000.00",
        "5000000.00",
        "0.00",
        "1000000.00",
    )
    assert after["awaiting_plans"] == 0 and after["clause"] == "HZ 三(四)4"
    again = await confirm(api, auth, entry, sub="budget-carol")
    assert again.status_code == 409 and again.json()["code"] == "budget.entry_decided"


async def test_pay_settle_and_repay_move_the_budget_with_the_ledger(
    api: httpx.AsyncClient, auth: Auth
) -> None:
    """HZ worked example, failed: cap 5 M committed, 1.5 M paid, the rest released at
    settlement, the 750,000.00 claw-back's repayment back to available."""
    assert (await confirm(api, auth, await record(api, auth, "6000000.00"))).status_code == 200
    pid = (await new_plan(api, auth))["project_id"]
    await pay_with_four_eyes(api, auth, pid, 1)
    paid = await totals(api, auth)
    assert (paid["committed"], paid["paid"], paid["available"]) == (
        "3500000.00",
        "1500000.00",
        "1000000.00",
    )
    await accept(
        api, auth, pid, outcome="failed", unused_amount="500000.00", noncompliant_amount="250000.00"
    )
    settled = await api.post(
        "/api/v1/settlements", json={"project_id": pid}, headers={**auth("bureau"), **key()}
    )
    assert settled.status_code == 201, settled.text
    released = await totals(api, auth)
    assert (released["committed"], released["paid"], released["available"]) == (
        "0.00",
        "1500000.00",
        "4500000.00",
    )
    clawback = settled.json()["clawback"]
    repaid = await api.post(
        f"/api/v1/clawbacks/{clawback['id']}/repayments",
        json={"amount": clawback["amount"]},
        headers={**auth("bureau"), **key()},
    )
    assert repaid.status_code == 201, repaid.text
    back = await totals(api, auth)
    assert (back["committed"], back["paid"], back["available"]) == (
        "0.00",
        "750000.00",
        "5250000.00",
    )
    assert back["consistent"] is True and back["journal_consistent"] is True
    lines: list[dict[str, Any]] = []
    cursor: dict[str, str] = {}
    while True:  # two lines a page, in the journal's order
        page = await api.get(
            "/api/v1/budgets/movements",
            params={"year": YEAR, "limit": 2, **cursor},
            headers=auth("auditor"),
        )
        lines += page.json()["items"]
        if not page.json()["next_cursor"]:
            break
        cursor = {"cursor": page.json()["next_cursor"]}
    assert [(m["kind"], m["amount"]) for m in lines] == [
        ("appropriation", "6000000.00"),
        ("commit", "5000000.00"),
        ("draw", "1500000.00"),
        ("release", "3500000.00"),
        ("return", "750000.00"),
    ]


async def test_nothing_commits_beyond_available_and_a_decrease_keeps_what_is_used(
    api: httpx.AsyncClient, auth: Auth
) -> None:
    assert (await confirm(api, auth, await record(api, auth, "5000000.00"))).status_code == 200
    first, second = await new_plan(api, auth), await new_plan(api, auth)
    assert (first["status"], second["status"]) == ("active", "awaiting_budget")

    decrease = await record(api, auth, "0.01", kind="decrease")
    refused = await confirm(api, auth, decrease)
    assert refused.status_code == 422, refused.text
    assert (refused.json()["code"], refused.json()["clause"]) == (
        "budget.insufficient",
        "HZ 三(四)4",
    )

    increase = await record(api, auth, "5000000.00", kind="increase")
    assert (await confirm(api, auth, increase)).status_code == 200
    second = await api.get(f"/api/v1/funding/{second['project_id']}", headers=auth("auditor"))
    assert second.json()["status"] == "active"
    full = await totals(api, auth)
    assert (full["committed"], full["available"], full["awaiting_plans"]) == (
        "10000000.00",
        "0.00",
        0,
    )


async def test_who_may_record_and_read(api: httpx.AsyncClient, auth: Auth) -> None:
    body = {"year": YEAR, "amount": "1.00", "reason": "x"}
    for role in ("auditor", "solver", "service"):
        assert (await api.post("/api/v1/budgets", json=body, headers=auth(role))).status_code == 403
    for role in ("demand_owner", "solver", "expert"):
        assert (await api.get("/api/v1/budgets", headers=auth(role))).status_code == 403
    amend = await api.post(
        "/api/v1/budgets", json={**body, "kind": "increase"}, headers=auth("bureau")
    )
    assert amend.status_code == 409 and amend.json()["code"] == "budget.not_appropriated"
    entries = await api.get(f"/api/v1/budgets/entries?year={YEAR}", headers=auth("auditor"))
    assert entries.status_code == 200 and entries.json() == {"items": [], "next_cursor": None}
    top = await record(api, auth, "999999999999.99")
    assert (await confirm(api, auth, top)).status_code == 200
    more = await confirm(api, auth, await record(api, auth, "0.01", kind="increase"))
    assert more.status_code == 422 and more.json()["code"] == "budget.too_large"


async def test_review_refuses_a_decision_the_budget_cannot_hold(
    api: httpx.AsyncClient, auth: Auth
) -> None:
    """The winner's cap is 5,000,000.00; the 2025 budget holds 4,999,999.99 (HZ 三(四)4): the
    divisions' joint review finds the budget short and the proposal cannot go further."""
    hz = Lifecycle(api, auth, budgeted=True)
    await appropriate(api, auth, "huzhou", amount="4999999.99")
    s = await _reviewed(hz)
    cid, winner = s["challenge"]["id"], s["apps"][1]
    ok(await api.put("/api/v1/quotas/2025", json={"projects": 5}, headers=hz.bureau))
    credit = {"source": "信用中国", "checked_on": "2025-05-09", "result": "pass"}
    body = {"challenge_id": cid, "application_id": winner, "credit": credit}
    short = ok(
        await api.post("/api/v1/proposals", json=body, headers={**hz.bureau, **REVIEW_TIME}), 201
    )
    assert short["status"] == "joint_review_failed"
    budget = next(c for c in short["checks"] if c["check"] == "budget")
    assert budget["result"] == "failed" and budget["clause"] == "HZ 三(四)4"
    await appropriate(api, auth, "huzhou", amount="0.01")
    await hz.propose(cid, winner)
    ok(await api.post(f"/api/v1/results/{cid}/publicity", headers={**hz.bureau, **REVIEW_TIME}))
    approved = await api.post(
        "/api/v1/decisions",
        json={"challenge_id": cid, "application_id": winner, "outcome": "approve"},
        headers={**hz.bureau, **AFTER_PUBLICITY},
    )
    assert approved.status_code == 201, approved.text
    plan = await api.get(f"/api/v1/funding/{approved.json()['project_id']}", headers=hz.bureau)
    assert plan.json()["status"] == "active"
