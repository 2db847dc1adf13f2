"""Queries on filed documents."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.documents.models import FiledDocument


async def for_project(session: AsyncSession, city: str, project_id: UUID) -> list[FiledDocument]:
    rows = await session.scalars(
        select(FiledDocument)
        .where(FiledDocument.city == city, FiledDocument.project_id == project_id)
        .order_by(FiledDocument.created_at, FiledDocument.id)
    )
    return list(rows)


async def for_object(session: AsyncSession, city: str, object_id: UUID) -> list[FiledDocument]:
    rows = await session.scalars(
        select(FiledDocument)
        .where(FiledDocument.city == city, FiledDocument.object_id == object_id)
        .order_by(FiledDocument.created_at, FiledDocument.id)
    )
    return list(rows)
