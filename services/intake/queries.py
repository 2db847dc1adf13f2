"""The two queries every visibility-filtered table shares (demands, applications): one row the
caller may see, optionally locked for a state change, and a keyset page of rows it may see."""

from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.interfaces import LoaderOption

from common.pagination import PageParams, apply_keyset

M = TypeVar("M")


async def get_visible(
    session: AsyncSession,
    model: type[M],
    city: str,
    row_id: UUID,
    visible: ColumnElement[bool],
    *,
    parent: Any,
    lock: bool = False,
) -> M | None:
    """``parent`` is joined in the same statement (no lazy load); ``lock`` is FOR UPDATE of the
    row itself, so concurrent state changes serialise."""
    options: list[LoaderOption] = [joinedload(parent)]
    m: Any = model
    stmt = select(model).options(*options).where(m.city == city, m.id == row_id, visible)
    if lock:
        stmt = stmt.with_for_update(of=model)
    return (await session.execute(stmt)).unique().scalar_one_or_none()


async def page_visible(
    session: AsyncSession,
    model: type[M],
    city: str,
    visible: ColumnElement[bool],
    params: PageParams,
    **filters: Any,
) -> list[M]:
    """Filters whose value is None are not applied."""
    m: Any = model
    stmt = select(model).where(m.city == city, visible)
    for column, value in filters.items():
        if value is not None:
            stmt = stmt.where(getattr(m, column) == value)
    return list((await session.execute(apply_keyset(stmt, m, params))).scalars())
