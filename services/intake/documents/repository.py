"""Every query on documents; the city is always in the WHERE clause."""

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.documents.models import Document


async def get(
    session: AsyncSession, city: str, document_id: UUID, *, lock: bool = False
) -> Document | None:
    statement = select(Document).where(Document.city == city, Document.id == document_id)
    if lock:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def get_many(
    session: AsyncSession, city: str, ids: Iterable[UUID], *, lock: bool = False
) -> dict[UUID, Document]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    statement = select(Document).where(Document.city == city, Document.id.in_(wanted))
    if lock:
        statement = statement.order_by(Document.id).with_for_update()
    return {d.id: d for d in await session.scalars(statement)}


async def attached_to(
    session: AsyncSession, city: str, object_type: str, object_id: UUID
) -> list[Document]:
    rows = await session.scalars(
        select(Document)
        .where(
            Document.city == city,
            Document.attached_type == object_type,
            Document.attached_id == object_id,
        )
        .order_by(Document.created_at, Document.id)
    )
    return list(rows)


async def expired(session: AsyncSession, now: datetime, limit: int = 200) -> list[Document]:
    rows = await session.scalars(
        select(Document)
        .where(Document.attached_id.is_(None), Document.expires_at <= now)
        .order_by(Document.expires_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(rows)


async def remove(session: AsyncSession, ids: list[UUID]) -> None:
    await session.execute(delete(Document).where(Document.id.in_(ids)))


async def hash_in_use(session: AsyncSession, sha256: str) -> bool:
    return bool(await session.scalar(select(exists().where(Document.sha256 == sha256))))
