"""Transactional outbox with retry towards an idempotent callee (finance).

The call is written as a ``Delivery`` row in the same transaction as the project or the
acceptance that needs it, then attempted at once; if finance is down or refuses, the row stays
``pending`` and the same body is sent again on the project's next read or through the retry
endpoint. Finance is idempotent on ``project_id``, so a repeat never creates a second plan.
"""

import asyncio
import logging
from typing import Any
from uuid import UUID

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from common import clock
from common.errors import JiebangError
from common.http import ServiceClient
from services.review.outbox import repository
from services.review.outbox.models import Delivery

log = logging.getLogger("jiebang.outbox")
BATCH = 50


def enqueue(
    session: AsyncSession,
    city: str,
    project_id: UUID,
    kind: str,
    path: str,
    body: dict[str, Any],
) -> Delivery:
    delivery = Delivery(
        city=city,
        project_id=project_id,
        kind=kind,
        path=path,
        body=body,
        status="pending",
        attempts=0,
    )
    session.add(delivery)
    return delivery


async def deliver_pending(
    session: AsyncSession, services: ServiceClient, city: str, project_id: UUID
) -> None:
    for delivery in await repository.for_project(session, city, project_id, pending_only=True):
        await _attempt(services, delivery)
    await session.flush()


async def _attempt(services: ServiceClient, delivery: Delivery) -> None:
    delivery.attempts += 1
    try:
        response = await services.request(
            "POST", delivery.path, city=delivery.city, json=delivery.body
        )
    except JiebangError as exc:
        delivery.last_error = f"{exc.code}: {exc.detail}"[:2000]
        return
    if response.status_code < 300:
        delivery.status, delivery.delivered_at, delivery.last_error = "delivered", clock.now(), None
    else:
        delivery.last_error = f"HTTP {response.status_code}: {response.text[:1000]}"


def status_of(deliveries: list[Delivery], kind: str) -> str | None:
    found = next((d for d in deliveries if d.kind == kind), None)
    return found.status if found else None


async def relay_once(maker: async_sessionmaker[AsyncSession], services: ServiceClient) -> int:
    """Deliver up to a batch of pending rows, each in its own short transaction so a row is
    locked only while its own call is in flight; return how many were delivered."""
    delivered = 0
    for _ in range(BATCH):
        async with maker() as session, session.begin():
            claimed = await repository.claim_pending(session, 1)
            if not claimed:
                break
            await _attempt(services, claimed[0])
            delivered += claimed[0].status == "delivered"
    return delivered


async def relay(app: FastAPI) -> None:
    """The outbox relay: a background loop in every review replica, so a delivery that failed
    (finance down, timeout) is retried without anyone reading the project again."""
    interval = app.state.settings.outbox_interval_seconds
    while True:
        try:
            delivered = await relay_once(app.state.sessionmaker, app.state.services)
            if delivered:
                log.info("outbox delivered", extra={"delivered": delivered})
        except Exception:
            log.exception("outbox relay failed; retrying")
        await asyncio.sleep(interval)
