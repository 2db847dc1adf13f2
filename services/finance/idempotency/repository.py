"""Queries of the idempotency records."""

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.finance.idempotency.models import IdempotencyRecord


async def claim(
    session: AsyncSession, city: str, key: str, endpoint: str, body_hash: str
) -> uuid.UUID | None:
    """Insert the key, or return None when it exists. A concurrent holder of the same key makes
    this wait on the unique index until it commits (then None) or rolls back (then ours)."""
    statement = (
        insert(IdempotencyRecord)
        .values(id=uuid.uuid4(), city=city, key=key, endpoint=endpoint, body_hash=body_hash)
        .on_conflict_do_nothing(constraint="uq_idempotency_key")
        .returning(IdempotencyRecord.id)
    )
    result: uuid.UUID | None = await session.scalar(statement)
    return result


async def get(session: AsyncSession, city: str, key: str, endpoint: str) -> IdempotencyRecord:
    record: IdempotencyRecord | None = await session.scalar(
        select(IdempotencyRecord)
        .where(
            IdempotencyRecord.city == city,
            IdempotencyRecord.key == key,
            IdempotencyRecord.endpoint == endpoint,
        )
        .execution_options(populate_existing=True)
    )
    assert record is not None, "claimed records are visible once their holder committed"
    return record


async def complete(session: AsyncSession, record_id: uuid.UUID, status: int, body: Any) -> None:
    await session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.id == record_id)
        .values(status_code=status, response=body)
    )
