"""Transactional outbox towards an idempotent callee (finance), delivered after commit.

A call is written as a ``Delivery`` row in the same transaction as the project or acceptance
that needs it; nothing is sent before that transaction commits (``common.db.after_commit``
then tries the row once, with no row lock held). A failed attempt is retried by the relay in
every review replica with exponential backoff and jitter; the row due soonest goes first, so
a row that keeps failing falls behind the others instead of blocking them. After
``outbox_max_attempts`` the row is dead-lettered (a structured log line, a counter) and waits
for the bureau's reasoned retry. Finance is idempotent on the project, whose id is derived
from the decision's identity, so no retry ever makes a second plan.
Tests: tests/review/outbox/test_relay.py, tests/reliability/test_exactly_once.py.
"""

import asyncio
import logging
import random
import uuid
from collections import Counter
from datetime import timedelta
from functools import partial
from typing import Any
from uuid import UUID

from fastapi import FastAPI
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from common.audit import record
from common.auth import Claims
from common.db import after_commit
from common.errors import Conflict, JiebangError
from common.http import ServiceClient
from common.settings import Settings
from services.review.db import AuditLog
from services.review.outbox import repository
from services.review.outbox.models import Delivery

log = logging.getLogger("jiebang.outbox")
BATCH = 50
DEAD_LETTERS: Counter[str] = Counter()
"""Dead letters of this process by kind (``jiebang_outbox_dead_letters_total``)."""


def enqueue(
    session: AsyncSession,
    city: str,
    project_id: UUID,
    kind: str,
    path: str,
    body: dict[str, Any],
) -> Delivery:
    """Write the call; it is sent once the caller's transaction has committed."""
    delivery = Delivery(
        id=uuid.uuid4(),
        city=city,
        project_id=project_id,
        kind=kind,
        path=path,
        body=body,
        status="pending",
        attempts=0,
    )
    session.add(delivery)
    after_commit(session, partial(_deliver_now, [delivery.id]))
    return delivery


async def _deliver_now(ids: list[UUID], app: FastAPI) -> None:
    await deliver(app.state.sessionmaker, app.state.services, app.state.settings, ids)


def backoff_seconds(settings: Settings, attempts: int) -> float:
    """base × 2^(attempts−1), capped, with jitter over its upper half so replicas that failed
    together do not retry together."""
    doubled = settings.outbox_backoff_base_seconds * float(2 ** min(attempts - 1, 30))
    ceiling = min(settings.outbox_backoff_max_seconds, doubled)
    return ceiling / 2 + random.uniform(0, ceiling / 2)


async def _send(services: ServiceClient, delivery: Delivery) -> str | None:
    """The call; ``None`` when finance accepted it, else why not."""
    try:
        response = await services.request(
            "POST", delivery.path, city=delivery.city, json=delivery.body
        )
    except JiebangError as exc:
        return f"{exc.code}: {exc.detail}"[:2000]
    if response.status_code < 300:
        return None
    return f"HTTP {response.status_code}: {response.text[:1000]}"


async def _attempt_one(
    maker: async_sessionmaker[AsyncSession],
    services: ServiceClient,
    settings: Settings,
    ids: list[UUID] | None,
) -> tuple[Delivery | None, bool]:
    """Claim one due delivery (a short transaction), call finance with no lock held, record
    the outcome (another short transaction). Returns the delivery and whether it arrived."""
    lease = timedelta(seconds=settings.upstream_timeout_seconds + 5)
    async with maker() as session, session.begin():
        claimed = await repository.claim(session, lease, ids)
    if claimed is None:
        return None, False
    error = await _send(services, claimed)
    now = func.clock_timestamp()  # the database clock, as the claim (never a pinned request clock)
    if error is None:
        values: dict[str, object] = {"status": "delivered", "delivered_at": now, "last_error": None}
    elif claimed.attempts >= settings.outbox_max_attempts:
        values = {"status": "dead", "dead_at": now, "last_error": error}
    else:
        wait = timedelta(seconds=backoff_seconds(settings, claimed.attempts))
        values = {"next_attempt_at": now + wait, "last_error": error}
    async with maker() as session, session.begin():
        recorded = await repository.settle(session, claimed.id, claimed.attempts, values)
    if recorded and values.get("status") == "dead":
        _dead_letter(claimed, error or "")
    return claimed, error is None


def _dead_letter(delivery: Delivery, error: str) -> None:
    DEAD_LETTERS[delivery.kind] += 1
    log.error(
        "outbox dead letter",
        extra={
            "event": "outbox.dead_letter",
            "delivery_id": str(delivery.id),
            "project_id": str(delivery.project_id),
            "city": delivery.city,
            "kind": delivery.kind,
            "attempts": delivery.attempts,
            "last_error": error[:500],
            "dead_letters_total": sum(DEAD_LETTERS.values()),
        },
    )


async def deliver(
    maker: async_sessionmaker[AsyncSession],
    services: ServiceClient,
    settings: Settings,
    ids: list[UUID],
) -> int:
    """Try the named deliveries now (each once, if due); how many arrived."""
    arrived = 0
    for _ in ids:
        claimed, ok = await _attempt_one(maker, services, settings, ids)
        if claimed is None:
            break
        arrived += ok
    return arrived


async def relay_once(
    maker: async_sessionmaker[AsyncSession], services: ServiceClient, settings: Settings
) -> int:
    """Up to a batch of due deliveries, soonest due first; how many arrived."""
    arrived = 0
    for _ in range(BATCH):
        claimed, ok = await _attempt_one(maker, services, settings, None)
        if claimed is None:
            break
        arrived += ok
    return arrived


def status_of(deliveries: list[Delivery], kind: str) -> str | None:
    found = next((d for d in deliveries if d.kind == kind), None)
    return found.status if found else None


async def relay(app: FastAPI) -> None:
    """The outbox relay: a background loop in every review replica."""
    settings = app.state.settings
    while True:
        try:
            arrived = await relay_once(app.state.sessionmaker, app.state.services, settings)
            if arrived:
                log.info("outbox delivered", extra={"delivered": arrived})
        except Exception:
            log.exception("outbox relay failed; retrying")
        await asyncio.sleep(settings.outbox_interval_seconds)


async def retry(session: AsyncSession, delivery: Delivery, user: Claims, reason: str) -> Delivery:
    """The bureau's retry of an undelivered (or dead) row: a fresh attempt budget, due now,
    sent after this transaction commits; the reason is kept in the audit trail."""
    if delivery.status == "delivered":
        raise Conflict("The delivery has already arrived", code="delivery.delivered")
    previous = delivery.status
    delivery.status, delivery.attempts, delivery.dead_at = "pending", 0, None
    delivery.next_attempt_at = func.clock_timestamp()
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="delivery",
        entity_id=delivery.id,
        action="retry",
        from_state=previous,
        to_state="pending",
        reason=reason,
    )
    after_commit(session, partial(_deliver_now, [delivery.id]))
    return delivery


async def retry_project(session: AsyncSession, city: str, project_id: UUID) -> None:
    """A project's pending rows made due now and tried after this transaction commits."""
    pending = [
        d for d in await repository.for_project(session, city, project_id) if d.status == "pending"
    ]
    for delivery in pending:
        delivery.next_attempt_at = func.clock_timestamp()
    if pending:
        after_commit(session, partial(_deliver_now, [d.id for d in pending]))
