"""Each service's run-time role reaches only its own schema, owns nothing, is no superuser,
and cannot rewrite history (audit logs are append-only)."""

import uuid

import asyncpg
import pytest

from common.bootstrap import _dsn
from common.db import admin_url, role_name, service_url
from common.settings import SERVICES, Settings


async def _connect_as(settings: Settings, service: str) -> asyncpg.Connection:
    return await asyncpg.connect(_dsn(service_url(settings, service)))


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("other", SERVICES)
async def test_a_role_cannot_read_another_schema(
    settings: Settings, service: str, other: str
) -> None:
    conn = await _connect_as(settings, service)
    try:
        if service == other:
            assert await conn.fetchval(f"SELECT count(*) FROM {other}.audit_log") >= 0
        else:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.fetchval(f"SELECT count(*) FROM {other}.audit_log")
    finally:
        await conn.close()


@pytest.mark.parametrize("service", SERVICES)
async def test_run_time_role_owns_nothing_and_is_not_superuser(
    settings: Settings, service: str
) -> None:
    conn = await asyncpg.connect(_dsn(admin_url(settings)))
    try:
        role = role_name(settings, service)
        flags = await conn.fetchrow(
            "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = $1", role
        )
        assert flags is not None
        assert not any(flags.values())
        owned = await conn.fetchval(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            "WHERE r.rolname = $1",
            role,
        )
        assert owned == 0
        schema_owner = await conn.fetchval(
            "SELECT r.rolname FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner "
            "WHERE n.nspname = $1",
            service,
        )
        assert schema_owner == role_name(settings, service, "owner")
    finally:
        await conn.close()


@pytest.mark.parametrize("service", SERVICES)
async def test_audit_rows_cannot_be_updated_or_deleted(settings: Settings, service: str) -> None:
    conn = await _connect_as(settings, service)
    try:
        async with conn.transaction():
            row_id = uuid.uuid4()
            await conn.execute(
                f"INSERT INTO {service}.audit_log (id, actor, actor_role, city, entity, "
                "entity_id, action) VALUES ($1, 'u', 'bureau', 'huzhou', 'test', $1, 'create')",
                row_id,
            )
            for statement in (
                f"UPDATE {service}.audit_log SET actor = 'x' WHERE id = $1",
                f"DELETE FROM {service}.audit_log WHERE id = $1",
            ):
                with pytest.raises(asyncpg.InsufficientPrivilegeError):
                    async with conn.transaction():
                        await conn.execute(statement, row_id)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        await conn.close()


@pytest.mark.parametrize("service", SERVICES)
async def test_even_the_owner_cannot_rewrite_audit_rows(settings: Settings, service: str) -> None:
    """The trigger refuses changes for every role, so a migration bug cannot rewrite history."""
    conn = await asyncpg.connect(_dsn(admin_url(settings)))
    try:
        async with conn.transaction():
            await conn.execute(f'SET LOCAL ROLE "{role_name(settings, service, "owner")}"')
            await conn.execute(
                f"INSERT INTO {service}.audit_log (id, actor, actor_role, city, entity, "
                "entity_id, action) VALUES ($1, 'u', 'bureau', 'huzhou', 'test', $1, 'create')",
                uuid.uuid4(),
            )
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
                await conn.execute(f"DELETE FROM {service}.audit_log")
            raise _Rollback
    except _Rollback:
        pass
    finally:
        await conn.close()


class _Rollback(Exception):
    pass
