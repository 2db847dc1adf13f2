"""Parallel submits and withdrawals of one application on the live stack: exactly one final
state, and an audit trail whose transitions chain from draft to it, one entry per success.

Covered elsewhere, not repeated here: 100 parallel score submissions
(``tests/review/test_live.py``), 50 parallel disbursements of one tranche with one key and with
50 keys, parallel repayments (``tests/finance/test_live.py``), parallel submits and creates of
applications (``tests/intake/test_real_review.py``)."""

import asyncio
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest

from tests.conftest import Auth
from tests.intake.conftest import IN_PUBLICATION, clock
from tests.intake.test_real_review import live_flow
from tests.reliability.conftest import admin_fetch, record_counts

pytestmark = pytest.mark.e2e
EACH = 15


async def _trail(live: Any, application_id: str) -> list[Any]:
    return await admin_fetch(
        live,
        "SELECT action, from_state, to_state FROM intake.audit_log"
        " WHERE entity = 'application' AND entity_id = $1 ORDER BY at, id",
        uuid.UUID(application_id),
    )


def _chains(trail: list[Any], start: str | None, final: str) -> bool:
    state = start
    for entry in trail:
        if entry["from_state"] != state:
            return False
        state = entry["to_state"]
    return state == final


async def _race(
    client: httpx.AsyncClient, app_id: str, headers: dict[str, str], actions: list[str]
) -> Counter[tuple[str, int]]:
    async def act(action: str) -> tuple[str, int]:
        response = await client.post(f"/api/v1/applications/{app_id}/{action}", headers=headers)
        return action, response.status_code

    return Counter(await asyncio.gather(*(act(a) for a in actions)))


async def test_parallel_submits_and_withdrawals_end_in_one_state(live: Any, auth: Auth) -> None:
    async with httpx.AsyncClient(base_url=live.gateway_url, timeout=60) as client:
        flow = live_flow(client, auth)
        app_id, lead = await flow.hz_application()
        headers = {**flow.solver(lead), **clock(IN_PUBLICATION)}
        outcome = await _race(client, app_id, headers, ["submit", "withdraw"] * EACH)
        read = await client.get(f"/api/v1/applications/{app_id}", headers=headers)
        trail = await _trail(live, app_id)

    assert set(outcome) <= {(a, s) for a in ("submit", "withdraw") for s in (200, 409)}, outcome
    assert outcome[("withdraw", 200)] == 1
    assert outcome[("submit", 200)] in (0, 1)
    assert read.json()["status"] == "withdrawn"
    successes = outcome[("withdraw", 200)] + outcome[("submit", 200)]
    assert len(trail) == 1 + successes  # the create, then one entry per success
    assert _chains(trail, None, "withdrawn"), trail
    record_counts(
        "submit_withdraw_race",
        requests=2 * EACH,
        answered={f"{a} {s}": n for (a, s), n in sorted(outcome.items())},
        audit_transitions=len(trail) - 1,
    )


async def test_parallel_withdrawals_of_a_submitted_application_succeed_once(
    live: Any, auth: Auth
) -> None:
    async with httpx.AsyncClient(base_url=live.gateway_url, timeout=60) as client:
        flow = live_flow(client, auth)
        app_id, lead = await flow.hz_application()
        headers = {**flow.solver(lead), **clock(IN_PUBLICATION)}
        submitted = await client.post(f"/api/v1/applications/{app_id}/submit", headers=headers)
        assert submitted.status_code == 200, submitted.text
        outcome = await _race(client, app_id, headers, ["withdraw"] * 2 * EACH)
        trail = await _trail(live, app_id)

    assert outcome == Counter({("withdraw", 200): 1, ("withdraw", 409): 2 * EACH - 1})
    assert [e["action"] for e in trail] == ["create", "submit", "withdraw"]
    assert _chains(trail, None, "withdrawn"), trail
    record_counts(
        "parallel_withdrawals",
        requests=2 * EACH,
        succeeded=outcome[("withdraw", 200)],
        refused_409=outcome[("withdraw", 409)],
    )
