"""The gateway: the one public entry (`uvicorn gateway.app:app`).

It verifies JWTs, enforces roles per path segment, routes ``/api/v1/<segment>`` to the service
that owns it, and carries service-to-service calls (services call each other through it).
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from common.app import Health
from common.auth import Claims, Verifier, mint_token
from common.deps import CurrentUser, RegistryDep, SettingsDep
from common.documents import UPLOAD_ROUTE
from common.errors import (
    NotFound,
    ServiceUnavailable,
    install_error_handlers,
    problem_responses,
)
from common.etag import ETagMiddleware
from common.logging import configure_logging
from common.middleware import RequestContextMiddleware
from common.operation_ids import operation_id
from common.rulesets.registry import RuleSetRegistry
from common.rulesets.schema import RuleSet
from common.schemas import Page, Schema
from common.settings import SERVICES, Settings, get_settings
from gateway.docs import add_doc_pages
from gateway.edge import add_edge_middleware
from gateway.openapi import merge
from gateway.proxy import ProxyMiddleware, Upstreams
from gateway.ratelimit import RateLimiter

router = APIRouter(prefix="/api/v1")


DevRole = Literal[
    "demand_owner", "solver", "expert", "bureau", "auditor", "provincial"
]  # never "service": a service has its own credential


class DevTokenRequest(Schema):
    sub: str = Field(min_length=1, max_length=200)
    role: DevRole
    city: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")
    org_id: UUID | None = None


class TokenRead(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class CityRead(BaseModel):
    city: str
    name: str
    name_zh: str
    version: str
    timezone: str
    versions: list[str] = Field(default_factory=list, description="Every loaded version")


@router.post(
    "/auth/dev-token",
    tags=["auth"],
    responses=problem_responses(404, 429),
    summary="Mint a user token for development (dev mode only; 404 in production; never `service`)",
    openapi_extra={"security": []},
)
async def dev_token(body: DevTokenRequest, request: Request, settings: SettingsDep) -> TokenRead:
    if not settings.dev_mode:
        raise NotFound("Not found", code="not_found")
    request.app.state.dev_token_limiter.check(request.client.host if request.client else "-")
    registry: RuleSetRegistry = request.app.state.rulesets
    if body.role == "provincial":  # its city claim names the province
        if not any(r.province == body.city for r in registry.cities()):
            raise NotFound(f"No city of province '{body.city}'", code="city.unknown")
    else:
        registry.get(body.city)
    token = mint_token(settings, sub=body.sub, role=body.role, city=body.city, org_id=body.org_id)
    return TokenRead(access_token=token, expires_in=settings.token_ttl_seconds)


@router.get("/me", tags=["auth"], summary="The verified claims of the caller")
async def read_me(user: CurrentUser) -> Claims:
    return user


@router.get("/cities", tags=["cities"], summary="The cities served and their rule-set versions")
async def list_cities(user: CurrentUser, registry: RegistryDep) -> Page[CityRead]:
    """Every city with a loaded rule set, in one page (``next_cursor`` is null), with every
    loaded version of its rules."""
    return Page(
        items=[
            CityRead(
                city=r.city,
                name=r.name,
                name_zh=r.name_zh,
                version=r.version,
                timezone=r.timezone,
                versions=registry.versions(r.city),
            )
            for r in registry.cities()
        ]
    )


@router.get(
    "/cities/{city}/ruleset",
    tags=["cities"],
    responses=problem_responses(404),
    summary="One city's rule set in full, every rule with its clause",
)
async def read_ruleset(
    city: str,
    user: CurrentUser,
    registry: RegistryDep,
    version: Annotated[
        str | None,
        Query(max_length=64, description="A loaded earlier version; the current one if absent"),
    ] = None,
) -> RuleSet:
    """The current version, or the one a round was opened with (``?version=``)."""
    return registry.version(city, version) if version else registry.get(city)


async def _service_specs(app: FastAPI) -> dict[str, dict[str, Any]]:
    cached: dict[str, dict[str, Any]] | None = app.state.service_specs
    if cached is not None:
        return cached
    upstreams: Upstreams = app.state.upstreams
    specs: dict[str, dict[str, Any]] = {}
    for service in SERVICES:
        try:
            response = await upstreams.call(service, "GET", lambda c: c.get("/openapi.json"))
            response.raise_for_status()
        except Exception as exc:
            raise ServiceUnavailable(
                f"{service} did not give its OpenAPI document", code="upstream.unavailable"
            ) from exc
        specs[service] = response.json()
    app.state.service_specs = specs
    return specs


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging("gateway", settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await app.state.verifier.prime()
        app.state.upstreams = Upstreams(settings)
        try:
            yield
        finally:
            await app.state.upstreams.aclose()

    app = FastAPI(
        title="jiebang gateway",
        version="1.0.0",
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        responses=problem_responses(401, 403, 422),
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    app.state.verifier = Verifier(settings)
    app.state.rulesets = RuleSetRegistry.load(settings.rulesets_dir)
    app.state.dev_token_limiter = RateLimiter(settings.dev_token_rate_per_minute, "token requests")
    app.state.service_specs = None
    install_error_handlers(app)
    app.include_router(router)
    _health_routes(app)
    _doc_routes(app)
    app.add_middleware(ETagMiddleware)  # the gateway's own reads; services tag theirs
    # The document upload is the one body streamed through (to intake) instead of read whole.
    streamed = {UPLOAD_ROUTE: settings.document_upload_limit}
    app.add_middleware(ProxyMiddleware, settings=settings, state=app.state, streamed=streamed)
    app.add_middleware(
        RequestContextMiddleware,
        max_body_bytes=settings.max_body_bytes,
        dev_mode=settings.dev_mode,
        served_by="gateway",
        streamed=streamed,
    )
    add_edge_middleware(app, settings)
    return app


def own_openapi(app: FastAPI) -> dict[str, Any]:
    from fastapi.openapi.utils import get_openapi

    return get_openapi(title=app.title, version=app.version, routes=app.routes)


class ReadyRead(BaseModel):
    status: Literal["ready", "unavailable"]
    services: dict[str, bool] = Field(description="Each service and whether it is ready")


def _health_routes(app: FastAPI) -> None:
    @app.get(
        "/healthz",
        tags=["health"],
        operation_id="health_alive",
        summary="Liveness: the gateway process answers",
        description="No token. 200 while the process runs; it checks nothing else.",
        openapi_extra={"security": []},
    )
    async def healthz() -> Health:
        return Health(status="ok", service="gateway")

    @app.get(
        "/readyz",
        tags=["health"],
        operation_id="health_ready",
        summary="Readiness: every service and its database answer",
        description="No token. 200 when every service is ready, 503 (same shape) otherwise.",
        response_model=ReadyRead,
        responses={503: {"model": ReadyRead, "description": "A service is not ready"}},
        openapi_extra={"security": []},
    )
    async def readyz() -> JSONResponse:
        upstreams: Upstreams = app.state.upstreams

        async def probe(service: str) -> tuple[str, bool]:
            try:
                response = await upstreams.call(
                    service, "GET", lambda c: c.get("/readyz", timeout=3.0)
                )
                return service, response.status_code == 200
            except Exception:
                return service, False

        results = dict(await asyncio.gather(*(probe(s) for s in SERVICES)))
        ready = all(results.values())
        return JSONResponse(
            {"status": "ready" if ready else "unavailable", "services": results},
            status_code=200 if ready else 503,
        )


def _doc_routes(app: FastAPI) -> None:
    @app.get("/openapi.json", include_in_schema=False)
    async def openapi() -> JSONResponse:
        return JSONResponse(merge(own_openapi(app), await _service_specs(app)))

    add_doc_pages(app)


app = create_app()
