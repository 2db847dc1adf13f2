"""Test fixtures: a real PostgreSQL built by Alembic, one database per xdist worker.

* ``api`` — the in-process stack: the real gateway app routing over ASGI to the real service
  apps; each service works inside one transaction per test that is rolled back afterwards.
* ``live`` — the real processes (uvicorn) on free ports against their own database, for the
  end-to-end tests; data is committed, so those tests use fresh organisations and rounds.
* ``auth`` — bearer headers for any role and city. A demand owner's or solver's token that
  names an ``org_id`` gets its membership registered too (the platform trusts no org claim
  alone), unless ``member=False``; ``tests/memberships.py`` does it.
"""

import asyncio
import os

# The platform is production unless told otherwise; the tests run it in test mode.
os.environ.setdefault("JIEBANG_ENV", "test")
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from common.auth import CITY_HEADER, Role, mint_service_token, mint_token
from common.db import count_statements, create_engine, service_url
from common.rulesets.registry import RuleSetRegistry
from common.settings import ROOT, SERVICES, Settings
from tests.memberships import LIVE_DATABASES, NO_MEMBERSHIP, register_live, register_on_request

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def pytest_configure(config: pytest.Config) -> None:
    """One id per test run, shared by its xdist workers, so runs in parallel (two engineers,
    or CI and a developer) never drop each other's databases."""
    if not hasattr(config, "workerinput"):
        os.environ.setdefault("JIEBANG_TEST_RUN", uuid.uuid4().hex[:8])


def _run_id() -> str:
    return os.environ.get("JIEBANG_TEST_RUN", "solo")


def _admin_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if url:
        return url
    from common.devdb import ensure_embedded

    return ensure_embedded(ROOT / ".data" / "test-pg")


async def _recreate(settings: Settings, name: str, *, create: bool = True) -> None:
    from common.bootstrap import _dsn, _quote
    from common.db import admin_url

    conn = await asyncpg.connect(_dsn(admin_url(settings).set(database="postgres")))
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")
        if create:
            await conn.execute(f"CREATE DATABASE {_quote(name)}")
    finally:
        await conn.close()


def _drop(settings: Settings) -> None:
    asyncio.run(_recreate(settings, settings.database_name, create=False))


def _fresh_database(suffix: str) -> Settings:
    from common.migrate import upgrade_all

    name = f"jbt_{_run_id()}_{suffix}_{WORKER}"
    settings = Settings(database_url=_admin_url(), database_name=name, env="test")
    asyncio.run(_recreate(settings, name))
    upgrade_all(settings, name)
    return settings


@pytest.fixture(scope="session")
def settings() -> Iterator[Settings]:
    """Settings for the in-process tests, pointing at this worker's migrated database."""
    fresh = _fresh_database("unit")
    yield fresh
    _drop(fresh)


@dataclass
class Apps:
    gateway: FastAPI
    services: dict[str, FastAPI]
    engines: dict[str, AsyncEngine]


@pytest.fixture(scope="session")
async def apps(settings: Settings) -> AsyncIterator[Apps]:
    from common.http import ServiceClient
    from gateway.app import create_app as create_gateway
    from gateway.proxy import Upstreams
    from services.finance.app import create_app as create_finance
    from services.intake.app import create_app as create_intake
    from services.review.app import create_app as create_review

    gateway = create_gateway(settings)
    services = {
        "intake": create_intake(settings),
        "review": create_review(settings),
        "finance": create_finance(settings),
    }
    engines = {s: create_engine(service_url(settings, s), settings) for s in SERVICES}
    for engine in engines.values():
        count_statements(engine)
    upstreams = Upstreams(settings)
    for s, app in services.items():
        await upstreams.clients[s].aclose()
        upstreams.clients[s] = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=f"http://{s}"
        )
        app.state.engine = engines[s]
        client = ServiceClient(s, settings)
        await client.client.aclose()
        client.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=gateway), base_url="http://gateway"
        )
        app.state.services = client
    gateway.state.upstreams = upstreams
    yield Apps(gateway, services, engines)
    await upstreams.aclose()
    for s, app in services.items():
        await app.state.services.aclose()
        await engines[s].dispose()


@pytest.fixture
async def api(apps: Apps) -> AsyncIterator[httpx.AsyncClient]:
    """The in-process gateway; every service's writes are rolled back after the test."""
    connections = {}
    transactions = {}
    for s, app in apps.services.items():
        conn = await apps.engines[s].connect()
        transactions[s] = await conn.begin()
        connections[s] = conn
        app.state.sessionmaker = async_sessionmaker(
            bind=conn,
            expire_on_commit=False,
            autoflush=False,
            join_transaction_mode="create_savepoint",
        )
    registered: set[tuple[str, ...]] = set()

    async def memberships(request: httpx.Request) -> None:
        await register_on_request(apps.services["intake"], request, registered)

    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=apps.gateway),
            base_url="http://testserver",
            event_hooks={"request": [memberships]},
        ) as client:
            yield client
    finally:
        for s in apps.services:
            await transactions[s].rollback()
            await connections[s].close()


def live_stack(suffix: str, extra_env: dict[str, str] | None = None) -> Iterator[Any]:
    """The four real processes on free ports, against their own freshly migrated database
    (``extra_env``: e.g. another document store)."""
    from common.launch import launch

    settings = _fresh_database(suffix)
    assert settings.database_url
    log_dir = ROOT / ".data" / "e2e-logs" / f"{WORKER}-{suffix}"
    log_dir.mkdir(parents=True, exist_ok=True)
    env = {"JIEBANG_DATABASE_NAME": settings.database_name, "JIEBANG_ENV": "test"}
    stack = launch(
        settings.database_url, extra_env={**env, **(extra_env or {})}, log_dir=str(log_dir)
    )
    stack.settings = settings  # type: ignore[attr-defined]
    LIVE_DATABASES.append(settings)
    try:
        yield stack
    finally:
        LIVE_DATABASES.remove(settings)
        stack.stop_all()
        _drop(settings)


@pytest.fixture(scope="session")
def live() -> Iterator[Any]:
    """The four real processes on free ports, against their own freshly migrated database."""
    yield from live_stack("e2e")


Auth = Callable[..., dict[str, str]]


@pytest.fixture(scope="session")
def auth() -> Auth:
    """``auth(role, city="huzhou", org_id=None, sub=None, member=True)`` → an Authorization
    header; with ``org_id`` an owner's or solver's membership is registered as well; a
    ``provincial`` user reads ``city`` as the user of its province."""
    signing = Settings(env="test")
    rulesets = RuleSetRegistry.load(signing.rulesets_dir).cities()
    provinces = {r.city: r.province for r in rulesets if r.province}

    def make(
        role: Role | str,
        city: str = "huzhou",
        org_id: uuid.UUID | str | None = None,
        sub: str | None = None,
        member: bool = True,
        **extra: Any,
    ) -> dict[str, str]:
        if role == Role.service:  # the service's own credential, never the user key
            token = mint_service_token(signing, signing.service_clients[0])
            return {"Authorization": f"Bearer {token}", CITY_HEADER: city}
        sub = sub or f"{role}-{uuid.uuid4().hex[:8]}"
        if role == Role.provincial and city in provinces:  # reads this city, as its province
            token = mint_token(signing, sub=sub, role=role, city=provinces[city], extra=extra)
            return {"Authorization": f"Bearer {token}", CITY_HEADER: city}
        if not member:
            extra[NO_MEMBERSHIP] = True
        elif org_id is not None:
            register_live(city, sub, str(role), str(org_id))
        token = mint_token(
            signing, sub=sub, role=role, city=city, org_id=org_id, extra=extra or None
        )
        return {"Authorization": f"Bearer {token}"}

    return make
