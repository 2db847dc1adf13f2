"""The factory every service app is built with, so all of them behave alike at the edges."""

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel
from sqlalchemy import text

from common import faults
from common.auth import Verifier
from common.db import (
    count_statements,
    create_engine,
    create_read_sessionmaker,
    create_sessionmaker,
    service_url,
)
from common.errors import ServiceUnavailable, install_error_handlers, problem_responses
from common.etag import ETagMiddleware
from common.http import ServiceClient
from common.logging import configure_logging
from common.memberships import RemoteMemberships
from common.middleware import RequestContextMiddleware
from common.openapi_codes import add_ruleset_enums
from common.operation_ids import operation_id
from common.retry import RetryOnConflict
from common.rulesets.registry import RuleSetRegistry
from common.settings import Settings, get_settings, service_credential_problems

API_PREFIX = "/api/v1"


class Health(BaseModel):
    status: Literal["ok", "ready"]
    service: str


def _with_ruleset_enums(app: FastAPI) -> None:
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_ruleset_enums(plain(), app.state.rulesets)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_service_app(
    service: str,
    routers: Sequence[APIRouter],
    *,
    description: str,
    settings: Settings | None = None,
    background: Sequence[Callable[[FastAPI], Coroutine[Any, Any, None]]] = (),
    closing: Sequence[Callable[[FastAPI], Coroutine[Any, Any, None]]] = (),
    streamed: dict[tuple[str, str], int] | None = None,
) -> FastAPI:
    """``background``: loops started once the database is ready and cancelled at shutdown
    (e.g. review's outbox relay); ``closing``: run at shutdown (e.g. intake's object store
    client); ``streamed``: routes whose body is a file (see ``RequestContextMiddleware``)."""
    settings = settings or get_settings()
    configure_logging(service, settings.log_level)
    problems = service_credential_problems(settings)
    if problems:
        raise ValueError(f"{service}: refusing to start in production: " + "; ".join(problems))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await app.state.verifier.prime()
        engine = create_engine(service_url(settings, service), settings)
        count_statements(engine)
        app.state.engine = engine
        app.state.sessionmaker = create_sessionmaker(engine)
        app.state.read_sessionmaker = create_read_sessionmaker(engine)
        app.state.services = ServiceClient(service, settings)
        tasks = [asyncio.create_task(job(app)) for job in background]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for close in closing:
                await close(app)
            await app.state.services.aclose()
            await engine.dispose()

    app = FastAPI(
        title=f"jiebang {service}",
        version="1.0.0",
        description=description,
        lifespan=lifespan,
        responses=problem_responses(401, 422),
        generate_unique_id_function=operation_id,
        dependencies=[Depends(faults.refuse)] if settings.faults_file else [],
    )
    app.state.settings = settings
    app.state.service = service
    app.state.verifier = Verifier(settings)
    # Owners and solvers act through memberships: intake holds them, others ask it.
    app.state.memberships = RemoteMemberships()
    app.state.rulesets = RuleSetRegistry.load(settings.rulesets_dir)
    install_error_handlers(app)
    app.add_middleware(RetryOnConflict, attempts=settings.db_conflict_attempts)
    app.add_middleware(ETagMiddleware)
    app.add_middleware(
        RequestContextMiddleware,
        max_body_bytes=settings.max_body_bytes,
        dev_mode=settings.dev_mode,
        served_by=service,
        streamed=streamed,
    )
    for router in routers:
        app.include_router(router, prefix=API_PREFIX)
    _with_ruleset_enums(app)

    @app.get("/healthz", tags=["health"], include_in_schema=False)
    async def healthz() -> Health:
        return Health(status="ok", service=service)

    @app.get("/readyz", tags=["health"], include_in_schema=False)
    async def readyz() -> Health:
        try:
            async with app.state.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:
            raise ServiceUnavailable(
                f"{service}: database not reachable", code="db.unavailable"
            ) from exc
        return Health(status="ready", service=service)

    return app
