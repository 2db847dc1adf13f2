"""Exactly once between review and finance under faults, with the real processes: review's
commit made to fail after the point where finance used to be called, a delivery finance
refuses forever, finance SIGKILLed in a loop under 50 decisions and 50 acceptances, and a
deadlock forced on a payment. (Fault injection: ``common.faults``, test mode only.)"""

import asyncio
import json
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from common.bootstrap import _dsn
from common.db import admin_url, derived_id
from common.launch import Stack
from tests.conftest import Auth
from tests.reliability.conftest import admin_fetch, kill, own_stack, record_counts
from tests.review.conftest import AFTER_PUBLICITY, REVIEW_TIME, Lifecycle, ok
from tests.review.test_flow_urumqi import _consents, _reviewed

pytestmark = pytest.mark.e2e
CITY = "urumqi"
SIGNED = {"agreement_signed_at": "2025-05-01T10:00:00+08:00"}
FAST_OUTBOX = {
    "JIEBANG_OUTBOX_INTERVAL_SECONDS": "0.2",
    "JIEBANG_OUTBOX_BACKOFF_BASE_SECONDS": "0.1",
    "JIEBANG_OUTBOX_BACKOFF_MAX_SECONDS": "1",
}


@asynccontextmanager
async def _stack(
    label: str, tmp_path: Path, auth: Auth, **env: str
) -> AsyncIterator[tuple[Stack, Lifecycle, Path]]:
    faults = tmp_path / "faults.json"
    faults.write_text("{}")
    extra = {**FAST_OUTBOX, "JIEBANG_FAULTS_FILE": str(faults), **env}
    async with (
        own_stack(label, env=extra) as stack,
        httpx.AsyncClient(base_url=stack.gateway_url, timeout=60) as client,
    ):
        yield stack, Lifecycle(client, auth, city=CITY), faults


async def _awarded(urc: Lifecycle, n_apps: int) -> list[tuple[str, str]]:
    return [(cid, a) for cid, a, _ in await _awarded_with_owner(urc, n_apps)]


async def _awarded_with_owner(urc: Lifecycle, n_apps: int) -> list[tuple[str, str, str]]:
    """One Urumqi challenge whose ``n_apps`` applications all won a horse race (the soft
    limit of three lifted with a reason), publicity over; each with the challenge's owner."""
    s = await _reviewed(urc, n_apps=n_apps)
    cid = s["challenge"]["id"]
    race = {"consents": _consents(s["apps"]), "override_reason": "reliability test"}
    ok(await urc.api.post(f"/api/v1/results/{cid}/horse-race", headers=urc.bureau, json=race))
    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/publicity", headers={**urc.bureau, **REVIEW_TIME}
        )
    )
    return [(cid, a, s["owner"]) for a in s["apps"]]


async def _decide(urc: Lifecycle, cid: str, app: str) -> Any:
    """Approve with the signed agreement (URC 二(五)) as a stored file."""
    body = {
        "challenge_id": cid,
        "application_id": app,
        "outcome": "approve",
        **SIGNED,
        "documents": await urc.files("agreement"),
    }
    return await urc.api.post(
        "/api/v1/decisions", headers={**urc.bureau, **AFTER_PUBLICITY}, json=body
    )


def _project(app: str) -> str:
    return str(derived_id("project", CITY, app))


async def _plans(stack: Stack, pids: list[str]) -> Counter[str]:
    rows = await admin_fetch(
        stack,
        "SELECT project_id FROM finance.funding_plans WHERE project_id = ANY($1)",
        [uuid.UUID(p) for p in pids],
    )
    return Counter(str(r["project_id"]) for r in rows)


async def _until_delivered(urc: Lifecycle, pids: list[str], field: str, seconds: float) -> None:
    """Bounded wait: every project's ``field`` reads delivered."""
    waiting = list(pids)
    for _ in range(int(seconds / 0.25)):
        states = [
            ok(await urc.api.get(f"/api/v1/projects/{p}", headers=urc.bureau))[field]
            for p in waiting
        ]
        waiting = [p for p, s in zip(waiting, states, strict=True) if s != "delivered"]
        if not waiting:
            return
        await asyncio.sleep(0.25)
    raise AssertionError(f"{len(waiting)} of {len(pids)} never delivered: {waiting[:3]}")


async def test_a_commit_that_fails_leaves_no_plan_and_the_retry_makes_exactly_one(
    auth: Auth, tmp_path: Path
) -> None:
    async with _stack("commit_fault", tmp_path, auth) as (stack, urc, faults):
        [(cid, app)] = await _awarded(urc, 1)
        faults.write_text(json.dumps({"fail_commit": ["POST /api/v1/decisions"]}))
        failed = await _decide(urc, cid, app)
        assert failed.status_code == 503, failed.text
        assert failed.headers["retry-after"] and failed.json()["code"] == "db.unavailable"
        await asyncio.sleep(1.0)  # the relay had time to send anything it held: nothing
        assert await _plans(stack, [_project(app)]) == Counter()

        faults.write_text("{}")
        decided = ok(await _decide(urc, cid, app), 201)
        pid = decided["project_id"]
        assert pid == _project(app)
        assert ok(await _decide(urc, cid, app), 409)["code"] == "decision.duplicate"
        await _until_delivered(urc, [pid], "funding_status", 10)
        assert await _plans(stack, [pid]) == Counter({pid: 1})
        projects = await admin_fetch(
            stack, "SELECT id FROM review.projects WHERE application_id = $1", uuid.UUID(app)
        )
        assert len(projects) == 1

        pay = {"project_id": pid, "tranche_seq": 1}
        answers = [
            await urc.api.post(
                "/api/v1/disbursements",
                json=pay,
                headers={**urc.bureau, "Idempotency-Key": f"k-{uuid.uuid4().hex}"},
            )
            for _ in range(2)
        ]
        assert [a.status_code for a in answers] == [201, 409], [a.text for a in answers]


async def test_a_poison_delivery_is_dead_lettered_without_holding_up_the_others(
    auth: Auth, tmp_path: Path
) -> None:
    env = {"JIEBANG_OUTBOX_MAX_ATTEMPTS": "4"}
    async with _stack("poison", tmp_path, auth, **env) as (stack, urc, faults):
        pairs = await _awarded(urc, 4)
        poison = _project(pairs[0][1])
        faults.write_text(json.dumps({"refuse": [poison]}))
        decided = await asyncio.gather(*(_decide(urc, c, a) for c, a in pairs))
        assert [d.status_code for d in decided] == [201] * len(pairs)
        others = [_project(a) for _, a in pairs[1:]]
        await _until_delivered(urc, others, "funding_status", 10)

        dead: list[dict[str, Any]] = []
        for _ in range(40):  # attempts back off 0.1, 0.2, 0.4 s: dead within a few seconds
            dead = ok(await urc.api.get("/api/v1/deliveries?status=dead", headers=urc.bureau))[
                "items"
            ]
            if dead:
                break
            await asyncio.sleep(0.25)
        assert [d["project_id"] for d in dead] == [poison]
        assert dead[0]["attempts"] == 4 and "fault.refused" in dead[0]["last_error"]
        log = await _log(stack, "review")
        assert '"event": "outbox.dead_letter"' in log and poison in log
        assert await _plans(stack, [poison]) == Counter()

        faults.write_text("{}")
        url = f"/api/v1/deliveries/{dead[0]['id']}/retry"
        ok(await urc.api.post(url, headers=urc.bureau, json={"reason": "finance fixed the bug"}))
        await _until_delivered(urc, [poison], "funding_status", 10)
        assert await _plans(stack, [poison, *others]) == Counter({p: 1 for p in [poison, *others]})
        record_counts(
            "outbox_poison",
            others_delivered=len(others),
            poison_attempts_before_dead=dead[0]["attempts"],
            poison_delivered_after_retry=True,
        )


async def test_a_deadlock_on_a_payment_is_retried_not_a_500(auth: Auth, tmp_path: Path) -> None:
    """The admin holds the chain head and then asks for the tranche the payment's approval
    (four eyes: 1,600,000.00) holds: a deadlock. PostgreSQL aborts the approval (its wait began
    first); the approval runs again and pays once."""
    async with _stack("deadlock", tmp_path, auth) as (stack, urc, _):
        [(cid, app)] = await _awarded(urc, 1)
        pid = ok(await _decide(urc, cid, app), 201)["project_id"]
        await _until_delivered(urc, [pid], "funding_status", 10)
        made = await urc.api.post(
            "/api/v1/disbursements",
            json={"project_id": pid, "tranche_seq": 1},
            headers={**urc.bureau, "Idempotency-Key": f"k-{uuid.uuid4().hex}"},
        )
        assert ok(made, 201)["status"] == "pending_approval"
        checker = auth("bureau", city=CITY, sub="checker")
        settings = stack.settings  # type: ignore[attr-defined]
        conn = await asyncpg.connect(_dsn(admin_url(settings)))
        try:
            await conn.execute("SET deadlock_timeout = '10s'")  # the payment detects it
            async with conn.transaction():
                await conn.execute(
                    "INSERT INTO finance.ledger_chain_heads (city, seq, hash) "
                    "VALUES ($1, 0, repeat('0', 64)) ON CONFLICT DO NOTHING",
                    CITY,
                )
                await conn.execute(
                    "SELECT 1 FROM finance.ledger_chain_heads WHERE city = $1 FOR UPDATE", CITY
                )
                payment = asyncio.create_task(
                    urc.api.post(
                        f"/api/v1/disbursements/{made.json()['id']}/approve", headers=checker
                    )
                )
                await _until_waiting(conn)
                await conn.execute(
                    "SELECT 1 FROM finance.tranches WHERE project_id = $1 AND seq = 1 FOR UPDATE",
                    uuid.UUID(pid),
                )
        finally:
            await conn.close()
        answer = await payment
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == "paid"
        paid = await admin_fetch(
            stack,
            "SELECT id FROM finance.disbursements WHERE project_id = $1 AND status = 'paid'",
            uuid.UUID(pid),
        )
        assert len(paid) == 1
        log = await _log(stack, "finance")
        assert '"sqlstate": "40P01"' in log  # the deadlock happened and was retried


async def _until_waiting(conn: asyncpg.Connection) -> None:
    for _ in range(100):
        waiting = await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database() AND pid <> pg_backend_pid()"
        )
        if waiting:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the payment never waited for the chain head")


async def _log(stack: Stack, process: str) -> str:
    path = Path(stack.log_dir, f"{process}.log")  # type: ignore[attr-defined]
    return await asyncio.to_thread(path.read_text)


ACCEPTANCE = {
    "outcome": "passed",
    "audited_total_investment": "20000000.00",
    "audited_bounty_paid": "8000000.00",  # the figure Urumqi's settlement rests on (URC 二(六))
    "opinion": "Targets met",
    "accepted_by": {"kind": "third_party", "name": "新疆科技评估中心"},  # URC 二(七)
    "audit_report": {"firm_name": "天山会计师事务所"},
}


async def _until_answered(call: Any, done: set[int]) -> httpx.Response:
    """What a client does with a 503: the same request again (bounded), until answered."""
    for _ in range(60):
        answer = await call()
        if answer.status_code in done:
            return answer
        assert answer.status_code == 503, answer.text  # never a 500
        await asyncio.sleep(0.25)
    raise AssertionError("never answered")


async def _decide_and_accept(urc: Lifecycle, cid: str, app: str, owner: str) -> list[int]:
    decided = await _until_answered(lambda: _decide(urc, cid, app), {201, 409})
    pid = _project(app)
    await urc.start(pid, owner)  # URC 三(四): duties on record before acceptance
    body = {**ACCEPTANCE, "documents": await urc.files("acceptance_opinion", "audit_report")}
    accepted = await _until_answered(
        lambda: urc.api.post(f"/api/v1/projects/{pid}/acceptance", headers=urc.bureau, json=body),
        {200, 409},
    )
    return [decided.status_code, accepted.status_code]


async def _kill_loop(stack: Stack, rounds: int, stop: asyncio.Event) -> int:
    kills = 0
    for _ in range(rounds):
        await asyncio.sleep(0.5)
        await asyncio.to_thread(kill, stack, "finance")
        kills += 1
        await asyncio.sleep(1.0)
        await _restart_finance(stack)
        if stop.is_set():
            break
    return kills


async def _restart_finance(stack: Stack, seconds: float = 90) -> None:
    """Start finance again and wait (bounded) for its own ``/readyz`` — not the whole stack's:
    review is busy with fifty requests meanwhile."""
    stack.start("finance", log_dir=stack.log_dir)  # type: ignore[attr-defined]
    async with httpx.AsyncClient(timeout=2) as client:
        for _ in range(int(seconds / 0.2)):
            try:
                if (await client.get(f"{stack.url('finance')}/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise AssertionError("finance did not come back")


async def test_finance_killed_in_a_loop_under_fifty_decisions_and_acceptances(
    auth: Auth, tmp_path: Path
) -> None:
    env = {"JIEBANG_OUTBOX_MAX_ATTEMPTS": "1000"}  # down is not poison: nothing dead-letters
    async with _stack("kill_loop", tmp_path, auth, **env) as (stack, urc, _):
        awarded = [p for n in (17, 17, 16) for p in await _awarded_with_owner(urc, n)]
        stop = asyncio.Event()

        async def work() -> list[list[int]]:
            try:
                return await asyncio.gather(
                    *(_decide_and_accept(urc, c, a, o) for c, a, o in awarded)
                )
            finally:
                stop.set()

        codes, kills = await asyncio.gather(work(), _kill_loop(stack, 3, stop))
        assert all(c[0] in (201, 409) and c[1] in (200, 409) for c in codes), codes
        pairs = [(c, a) for c, a, _ in awarded]
        pids = [_project(a) for _, a in pairs]
        await _until_delivered(urc, pids, "funding_status", 90)
        await _until_delivered(urc, pids, "acceptance_delivery_status", 90)

        assert await _plans(stack, pids) == Counter({p: 1 for p in pids})
        accepted = await admin_fetch(
            stack,
            "SELECT project_id FROM finance.funding_plans WHERE project_id = ANY($1) "
            "AND acceptance_hash IS NOT NULL",
            [uuid.UUID(p) for p in pids],
        )
        assert len(accepted) == len(pids)
        projects = await admin_fetch(
            stack,
            "SELECT count(*) AS n FROM review.projects WHERE application_id = ANY($1)",
            [uuid.UUID(a) for _, a in pairs],
        )
        assert projects[0]["n"] == len(pairs)
        verify = ok(await urc.api.get("/api/v1/ledger/verify", headers=auth("auditor", city=CITY)))
        assert verify["ok"] is True
        logs = [await _log(stack, p) for p in ("review", "finance", "gateway")]
        assert not any('"status": 500' in log or "unhandled error" in log for log in logs)
        record_counts(
            "finance_kill_loop",
            decisions=len(pairs),
            acceptances=len(pairs),
            finance_kills=kills,
            plans_per_project=sorted(set((await _plans(stack, pids)).values())),
            acceptances_in_finance=len(accepted),
            ledger_verify_ok=verify["ok"],
        )
