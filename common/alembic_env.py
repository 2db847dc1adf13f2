"""The body of every service's Alembic ``env.py``: online, async, inside the service's schema.

Migrations run as the schema's owner role (``SET ROLE``), so the tables belong to it and the
run-time login role only gets what the owner grants.
"""

import asyncio

from alembic import context
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from common.db import admin_url, role_name
from common.settings import get_settings


def run(metadata: MetaData, service: str) -> None:
    settings = context.config.attributes.get("settings") or get_settings()
    url = context.config.attributes.get("url") or admin_url(settings)
    owner = role_name(settings, service, "owner")

    def do_run(connection: Connection) -> None:
        connection.execute(text(f'SET ROLE "{owner}"'))
        connection.execute(text(f'SET search_path TO "{service}"'))
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table_schema=service,
            include_schemas=True,
            include_name=lambda name, kind, _parents: kind != "schema" or name == service,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
            await connection.commit()
        await engine.dispose()

    if context.is_offline_mode():
        raise SystemExit("offline migrations are not supported; run against a database")
    asyncio.run(run_async())
