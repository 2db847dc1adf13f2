"""An annual budget for tests that create plans and pay them: a bureau user records the
appropriation (or, when the year has one, an increase) and a second bureau user confirms it —
the rule itself is never relaxed for tests."""

import uuid
from typing import Any

import httpx

PLENTY = "100000000000.00"  # far above what any test pays; budget tests appropriate their own
YEAR = 2025  # the tests' pinned clock (X-Clock-Now) approves in 2025


async def appropriate(
    client: httpx.AsyncClient,
    auth: Any,
    city: str = "huzhou",
    *,
    year: int = YEAR,
    amount: str = PLENTY,
) -> dict[str, Any]:
    recorder = auth("bureau", city=city, sub=f"budget-recorder-{uuid.uuid4().hex[:6]}")
    confirmer = auth("bureau", city=city, sub=f"budget-confirmer-{uuid.uuid4().hex[:6]}")
    body = {"year": year, "amount": amount, "reason": "年度预算 (test)"}
    recorded = await client.post("/api/v1/budgets", json=body, headers=recorder)
    if recorded.status_code == 409:  # the year has its appropriation: add to it
        body["kind"] = "increase"
        recorded = await client.post("/api/v1/budgets", json=body, headers=recorder)
    assert recorded.status_code == 201, recorded.text
    confirmed = await client.post(
        f"/api/v1/budgets/entries/{recorded.json()['id']}/confirm", headers=confirmer
    )
    assert confirmed.status_code == 200, confirmed.text
    return dict(confirmed.json())
