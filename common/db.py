"""Engines, sessions and the per-request transaction.

A service connects with its own login role, which can use only its own schema. The request's
session dependency owns the transaction: services ``flush`` and never ``commit``.
"""

import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from sqlalchemy import DateTime, event, func
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Mapped, mapped_column

from common import faults
from common.context import db_statements_var
from common.settings import Settings

log = logging.getLogger("jiebang.db")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


def derived_id(kind: str, *parts: object) -> uuid.UUID:
    """A stable id from what an object *is* (e.g. the decision on one application): made
    again by a retry, so the retry names the same object and an idempotent receiver sees one."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "jiebang:" + ":".join([kind, *map(str, parts)]))


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
        # A pre-ping costs three round trips per request with asyncpg (BEGIN; ;  ROLLBACK), a
        # third of a read's time on the profile. Without it a connection broken by a database
        # restart fails one request (503 db.unavailable, Retry-After), and that disconnect
        # invalidates the whole pool, so the next requests reconnect.
        pool_pre_ping=settings.db_pool_pre_ping,
        pool_recycle=1800,
        connect_args={"server_settings": {"application_name": "jiebang"}, "timeout": 5},
    )


def _count_statement(conn: Any, *_: object) -> None:
    counter = db_statements_var.get()
    if counter is not None:
        counter[0] += 1
        conn.info["jiebang_started"] = time.perf_counter()


def _time_statement(conn: Any, *_: object) -> None:
    counter = db_statements_var.get()
    started = conn.info.pop("jiebang_started", None)
    if counter is not None and started is not None:
        counter[1] += time.perf_counter() - started


def count_statements(engine: AsyncEngine) -> None:
    """Count each SQL statement against the current request, and the time from sending it to
    its answer (the ``X-DB-Statements`` and ``X-DB-Ms`` headers in dev and test mode), so tests
    and the benchmark can see N+1 patterns and database time apart from Python time."""
    event.listen(engine.sync_engine, "before_cursor_execute", _count_statement)
    event.listen(engine.sync_engine, "after_cursor_execute", _time_statement)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


AfterCommit = Callable[[FastAPI], Awaitable[None]]


def after_commit(session: AsyncSession, hook: AfterCommit) -> None:
    """Run ``hook(app)`` once the request's transaction has committed — never before, never
    if it rolls back. This is how anything crosses to another service: what the hook sends
    exists for sure, and the outbox row it delivers was committed with it."""
    session.info.setdefault("after_commit", []).append(hook)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request, committed before the response is sent; then the
    ``after_commit`` hooks (a failing hook is logged: the outbox relay retries its work)."""
    maker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with maker() as session:
        async with session.begin():
            yield session
            await faults.before_commit(request)
        hooks: list[AfterCommit] = session.info.pop("after_commit", [])
    for hook in hooks:
        try:
            await hook(request.app)
        except Exception:
            log.exception("after-commit hook failed; its work stays queued")


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


def create_read_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions on the same pool whose connections run in autocommit: no BEGIN/COMMIT, and a
    pool pre-ping of one round trip instead of three (BEGIN; ROLLBACK around it otherwise)."""
    return create_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"))


async def get_read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """For routes that only read: each statement is its own snapshot, exactly what READ
    COMMITTED gives statements inside a transaction, without the transaction's two extra round
    trips (the profile of the published list under load: BEGIN, COMMIT and the pre-ping's
    BEGIN/ROLLBACK were a third of the service's time; README "Performance"). A route that
    writes, locks (FOR UPDATE) or needs several statements to agree uses ``SessionDep``."""
    state = request.app.state
    # Tests bind only ``sessionmaker`` (to their rolled-back connection): reads use it too.
    maker: async_sessionmaker[AsyncSession] = (
        getattr(state, "read_sessionmaker", None) or state.sessionmaker
    )
    async with maker() as session:
        yield session


ReadSessionDep = Annotated[AsyncSession, Depends(get_read_session, scope="function")]


async def get_snapshot_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A read-only transaction on one snapshot (REPEATABLE READ READ ONLY): a long read such
    as the ledger's verification sees none of the postings that commit while it runs, so it
    never mistakes a half-seen posting for tampering. (Inside the tests' per-test transaction
    the isolation is the outer one's.)"""
    maker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with maker() as session:
        if isinstance(session.bind, AsyncEngine):
            await session.connection(
                execution_options={
                    "isolation_level": "REPEATABLE READ",
                    "postgresql_readonly": True,
                }
            )
        try:
            yield session
        finally:
            await session.rollback()


SnapshotSessionDep = Annotated[AsyncSession, Depends(get_snapshot_session, scope="function")]
