"""Against the real processes: 50 plans committed at once, and 50 payments at once, against a
budget that holds only ten — exactly ten go through, the rest wait or are refused, and the
totals stay exact (one guarded UPDATE per movement, queued on the budget row)."""

import asyncio
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from common.bootstrap import _dsn
from common.db import admin_url
from tests.conftest import Auth
from tests.finance.budget import appropriate
from tests.finance.conftest import key, plan_body

pytestmark = pytest.mark.e2e
CITY = "urumqi"  # bounty 2,000,000.00 → cap 800,000.00, tranche 1 400,000.00 (no four eyes)


async def _budget(client: httpx.AsyncClient, auth: Auth, year: int) -> dict[str, Any]:
    answer = await client.get(f"/api/v1/budgets?year={year}", headers=auth("auditor", city=CITY))
    assert answer.status_code == 200, answer.text
    return dict(answer.json()["items"][0])


async def _until_answered(send: Any) -> httpx.Response:
    """Send again, as review's outbox and a careful client do, while the answer is a 503 (the
    gateway gave up waiting on a loaded machine) or the retry met the first attempt still in
    flight (409 ``conflict.integrity``); the same body or key is applied once."""
    for _ in range(10):
        answer: httpx.Response = await send()
        retry = answer.status_code == 503 or (
            answer.status_code == 409 and answer.json().get("code") == "conflict.integrity"
        )
        if not retry:
            return answer
        await asyncio.sleep(1)
    return answer


def _plan(client: httpx.AsyncClient, auth: Auth, year: int) -> Any:
    body = plan_body(CITY, bounty_amount="2000000.00", approved_at=f"{year}-06-01T10:00:00+08:00")
    return _until_answered(
        lambda: client.post("/api/v1/funding", json=body, headers=auth("service", city=CITY))
    )


async def test_fifty_concurrent_plans_commit_only_what_the_budget_holds(
    live: Any, auth: Auth
) -> None:
    year = 2031
    async with httpx.AsyncClient(base_url=live.gateway_url, timeout=120) as client:
        await appropriate(client, auth, CITY, year=year, amount="8300000.00")  # 10 caps + 0.3 M
        answers = await asyncio.gather(*(_plan(client, auth, year) for _ in range(50)))
        assert {a.status_code for a in answers} <= {200, 201}, {a.text for a in answers}
        statuses = sorted(a.json()["status"] for a in answers)
        assert statuses == ["active"] * 10 + ["awaiting_budget"] * 40
        budget = await _budget(client, auth, year)
        assert (budget["committed"], budget["available"], budget["awaiting_plans"]) == (
            "8000000.00",
            "300000.00",
            40,
        )
        await appropriate(client, auth, CITY, year=year, amount="1600000.00")
        budget = await _budget(client, auth, year)
        assert (budget["committed"], budget["available"], budget["awaiting_plans"]) == (
            "9600000.00",
            "300000.00",
            38,
        )


async def _forget_commitments(live: Any, year: int) -> None:
    """Plans from before budgets existed: no commitment, nothing committed for them."""
    conn = await asyncpg.connect(_dsn(admin_url(live.settings)))
    try:
        async with conn.transaction():
            await conn.execute(
                "DELETE FROM finance.budget_commitments WHERE city = $1 AND year = $2", CITY, year
            )
            await conn.execute(
                "UPDATE finance.budgets SET committed = 0 WHERE city = $1 AND year = $2", CITY, year
            )
    finally:
        await conn.close()


async def test_fifty_concurrent_payments_draw_only_what_is_available(live: Any, auth: Auth) -> None:
    year = 2032
    at = {"X-Clock-Now": f"{year}-07-01T10:00:00+08:00"}
    async with httpx.AsyncClient(base_url=live.gateway_url, timeout=120) as client:
        await appropriate(client, auth, CITY, year=year, amount="40000000.00")
        plans = [await _plan(client, auth, year) for _ in range(50)]
        pids = [p.json()["project_id"] for p in plans]
        await _forget_commitments(live, year)
        bureau = auth("bureau", city=CITY, sub=f"payer-{uuid.uuid4().hex[:6]}")
        decrease = await client.post(
            "/api/v1/budgets",
            json={"year": year, "kind": "decrease", "amount": "36000000.00", "reason": "调减"},
            headers=bureau,
        )
        confirmer = auth("bureau", city=CITY, sub=f"checker-{uuid.uuid4().hex[:6]}")
        confirmed = await client.post(
            f"/api/v1/budgets/entries/{decrease.json()['id']}/confirm", headers=confirmer
        )
        assert confirmed.status_code == 200, confirmed.text  # 4,000,000.00 = ten tranches left

        def pay(pid: str, once: dict[str, str]) -> Any:
            return _until_answered(
                lambda: client.post(
                    "/api/v1/disbursements",
                    json={"project_id": pid, "tranche_seq": 1},
                    headers={**bureau, **once, **at},
                )
            )

        answers = await asyncio.gather(*(pay(pid, key()) for pid in pids))
        codes = sorted(a.status_code for a in answers)
        assert codes == [201] * 10 + [422] * 40, {a.text for a in answers if a.status_code > 422}
        refusal = next(a.json() for a in answers if a.status_code == 422)
        assert (refusal["code"], refusal["clause"]) == ("budget.insufficient", "URC 二(七)")
        budget = await _budget(client, auth, year)
        assert (budget["committed"], budget["paid"], budget["available"]) == (
            "0.00",
            "4000000.00",
            "0.00",
        )
