"""Every query on the outbox.

A delivery is *claimed* by moving its ``next_attempt_at`` past a lease and counting the
attempt, in a statement of its own that commits at once: the finance call then runs with no
row lock held, and another replica does not pick the row up until the lease ends.
"""

from datetime import timedelta
from uuid import UUID

from sqlalchemy import Exists, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from common.pagination import PageParams, apply_keyset, split_page
from services.review.outbox.models import Delivery


async def for_project(session: AsyncSession, city: str, project_id: UUID) -> list[Delivery]:
    statement = select(Delivery).where(Delivery.city == city, Delivery.project_id == project_id)
    rows = await session.scalars(statement.order_by(Delivery.created_at))
    return list(rows)


def _earlier_undelivered() -> Exists:
    """A project's deliveries go in order: its acceptance waits for its funding plan."""
    earlier = aliased(Delivery)
    return exists().where(
        earlier.project_id == Delivery.project_id,
        earlier.status != "delivered",
        earlier.created_at < Delivery.created_at,
    )


async def claim(
    session: AsyncSession, lease: timedelta, ids: list[UUID] | None = None
) -> Delivery | None:
    """The pending delivery due soonest (or one of ``ids``, if due), leased and counted.
    Ordered by the time it is due, so a row that keeps failing backs off behind the others
    instead of being retried ahead of them."""
    due = (
        select(Delivery.id)
        .where(
            Delivery.status == "pending",
            Delivery.next_attempt_at <= func.clock_timestamp(),
            ~_earlier_undelivered(),
        )
        .order_by(Delivery.next_attempt_at, Delivery.created_at)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if ids is not None:
        due = due.where(Delivery.id.in_(ids))
    claimed = await session.scalar(
        update(Delivery)
        .where(Delivery.id == due.scalar_subquery())
        .values(attempts=Delivery.attempts + 1, next_attempt_at=func.clock_timestamp() + lease)
        .returning(Delivery)
        .execution_options(populate_existing=True)
    )
    return claimed


async def settle(
    session: AsyncSession, delivery_id: UUID, attempt: int, values: dict[str, object]
) -> bool:
    """Record an attempt's outcome, unless a newer attempt (after the lease ran out) or a
    delivery already recorded it."""
    done = await session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status == "pending",
            Delivery.attempts == attempt,
        )
        .values(**values)
    )
    return bool(done.rowcount)  # type: ignore[attr-defined]


async def get(session: AsyncSession, city: str, delivery_id: UUID) -> Delivery | None:
    return await session.scalar(
        select(Delivery).where(Delivery.city == city, Delivery.id == delivery_id).with_for_update()
    )


async def undelivered(
    session: AsyncSession, city: str, status: str | None, params: PageParams
) -> tuple[list[Delivery], str | None]:
    statement = select(Delivery).where(Delivery.city == city, Delivery.status != "delivered")
    if status:
        statement = statement.where(Delivery.status == status)
    rows = (await session.scalars(apply_keyset(statement, Delivery, params))).all()
    return split_page(list(rows), params)


async def counts(session: AsyncSession, city: str) -> dict[str, int]:
    rows = await session.execute(
        select(Delivery.status, func.count()).where(Delivery.city == city).group_by(Delivery.status)
    )
    return {status: n for status, n in rows.all()}
