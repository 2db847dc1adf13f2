"""Engines, sessions and the per-request transaction.

A service connects with its own login role, which can use only its own schema. The request's
session dependency owns the transaction: services ``flush`` and never ``commit``.
"""

import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import DateTime, event, func
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Mapped, mapped_column

from common.context import db_statements_var
from common.settings import Settings

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), onupdate=func.now(), nullable=True
    )


def asyncpg_url(url: str | URL) -> URL:
    parsed = make_url(url) if isinstance(url, str) else url
    return parsed.set(drivername="postgresql+asyncpg")


def role_name(settings: Settings, service: str, kind: str = "app") -> str:
    """``<prefix>_<service>`` logs in at run time; ``<prefix>_<service>_owner`` owns the tables."""
    return f"{settings.db_role_prefix}_{service}" + ("" if kind == "app" else f"_{kind}")


def admin_url(settings: Settings, database: str | None = None) -> URL:
    if not settings.database_url:
        raise RuntimeError("DATABASE_URL is not set (make run / make test start one for you)")
    url = asyncpg_url(settings.database_url)
    return url.set(database=database or settings.database_name)


def service_url(settings: Settings, service: str) -> URL:
    explicit = getattr(settings, f"{service}_database_url")
    if explicit:
        return asyncpg_url(explicit)
    return admin_url(settings).set(
        username=role_name(settings, service),
        password=settings.db_app_password.get_secret_value(),
    )


def create_engine(url: URL, settings: Settings) -> AsyncEngine:
    return create_async_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={"server_settings": {"application_name": "jiebang"}, "timeout": 5},
    )


def _count_statement(*_: object) -> None:
    counter = db_statements_var.get()
    if counter is not None:
        counter[0] += 1


def count_statements(engine: AsyncEngine) -> None:
    """Count each SQL statement against the current request (the ``X-DB-Statements`` header in
    dev and test mode), so tests and the benchmark can see N+1 patterns."""
    event.listen(engine.sync_engine, "before_cursor_execute", _count_statement)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request, committed before the response is sent."""
    maker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with maker() as session, session.begin():
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
