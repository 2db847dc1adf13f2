"""Create the database, the per-service roles and schemas: idempotent, safe to run in parallel.

Each service gets two roles: ``<prefix>_<svc>_owner`` (no login) owns the schema and its tables
and is what migrations run as; ``<prefix>_<svc>`` logs in at run time with only the privileges
the owner grants it, so it owns nothing and cannot reach another service's schema.
"""

import contextlib

import asyncpg
from sqlalchemy.engine import URL

from common.db import admin_url, role_name
from common.settings import SERVICES, Settings


def _dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _quote(ident: str) -> str:
    return '"' + ident.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


async def _ignore_duplicate(conn: asyncpg.Connection, sql: str) -> None:
    duplicates = (
        asyncpg.DuplicateObjectError,
        asyncpg.UniqueViolationError,
        asyncpg.DuplicateSchemaError,
    )
    with contextlib.suppress(*duplicates):
        await conn.execute(sql)


async def ensure_database(settings: Settings, database: str | None = None) -> None:
    name = database or settings.database_name
    maintenance = admin_url(settings).set(database=_maintenance_db(settings))
    conn = await asyncpg.connect(_dsn(maintenance))
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await conn.execute(f"CREATE DATABASE {_quote(name)}")
    finally:
        await conn.close()


def _maintenance_db(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    assert settings.database_url
    return make_url(settings.database_url).database or "postgres"


async def ensure_roles_and_schemas(settings: Settings, database: str | None = None) -> None:
    conn = await asyncpg.connect(_dsn(admin_url(settings, database)))
    password = settings.db_app_password.get_secret_value()
    try:
        for service in SERVICES:
            owner, app = role_name(settings, service, "owner"), role_name(settings, service)
            await _ignore_duplicate(conn, f"CREATE ROLE {_quote(owner)} NOLOGIN")
            await _ignore_duplicate(
                conn, f"CREATE ROLE {_quote(app)} LOGIN PASSWORD {_literal(password)}"
            )
            await conn.execute(f"ALTER ROLE {_quote(app)} NOSUPERUSER NOCREATEDB NOCREATEROLE")
            await _ignore_duplicate(conn, f"GRANT {_quote(owner)} TO CURRENT_USER")
            await _ignore_duplicate(
                conn, f"CREATE SCHEMA IF NOT EXISTS {_quote(service)} AUTHORIZATION {_quote(owner)}"
            )
            await conn.execute(f"GRANT USAGE ON SCHEMA {_quote(service)} TO {_quote(app)}")
            await conn.execute(
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {_quote(owner)} IN SCHEMA {_quote(service)} "
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {_quote(app)}"
            )
            await conn.execute(
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {_quote(owner)} IN SCHEMA {_quote(service)} "
                f"GRANT USAGE, SELECT ON SEQUENCES TO {_quote(app)}"
            )
            await conn.execute(f"ALTER ROLE {_quote(app)} SET search_path = {_quote(service)}")
    finally:
        await conn.close()


async def bootstrap(settings: Settings, database: str | None = None) -> None:
    """Roles are cluster-wide, so concurrent bootstraps of different databases (one per test
    worker) serialise on an advisory lock held in the maintenance database."""
    await ensure_database(settings, database)
    maintenance = admin_url(settings).set(database=_maintenance_db(settings))
    lock = await asyncpg.connect(_dsn(maintenance))
    try:
        await lock.execute("SELECT pg_advisory_lock(7355608)")
        await ensure_roles_and_schemas(settings, database)
    finally:
        await lock.close()
