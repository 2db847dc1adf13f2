"""Outbound HTTP: httpx as the API, aiohttp as the transport.

Measured on 2 cores, httpx's default httpcore pool caps a proxy at a few hundred requests/s
(CPU-bound pool bookkeeping); the aiohttp transport gives several times that (``make bench``).
Every call carries the request ID, and in dev mode the pinned clock.
"""

import time
from typing import Any

import httpx
from httpx_aiohttp import AiohttpTransport

from common.auth import CITY_HEADER, mint_service_token
from common.context import clock_override_var, request_id_var
from common.errors import BadGateway, JiebangError, Problem, ServiceUnavailable
from common.retry import note_outbound_write
from common.settings import Settings


def make_client(
    base_url: str, settings: Settings, *, max_connections: int = 200
) -> httpx.AsyncClient:
    limits = httpx.Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )
    return httpx.AsyncClient(
        base_url=base_url,
        transport=AiohttpTransport(limits=limits, trust_env=False),
        timeout=httpx.Timeout(settings.upstream_timeout_seconds, connect=3.0),
    )


def context_headers() -> dict[str, str]:
    headers = {"X-Request-ID": request_id_var.get()}
    pinned = clock_override_var.get()
    if pinned:
        headers["X-Clock-Now"] = pinned
    return headers


class ServiceCredential:
    """This service's own identity: the provider's client-credentials grant (its own client id
    and secret, the service audience), or in dev/test the platform's service secret. Never a
    user key or flow. The provider's token is kept until shortly before it expires."""

    def __init__(self, service: str, settings: Settings) -> None:
        self.settings = settings
        self.client_id = settings.service_client_id or f"jiebang-{service}"
        self._token: tuple[str, float] | None = None

    async def token(self, http: httpx.AsyncClient) -> str:
        if not self.settings.oidc_issuer:
            return mint_service_token(self.settings, self.client_id)
        if self._token and self._token[1] > time.monotonic():
            return self._token[0]
        secret = self.settings.service_client_secret
        assert secret is not None, "JIEBANG_SERVICE_CLIENT_SECRET is required with a provider"
        issuer = self.settings.oidc_issuer.rstrip("/")
        discovery = await http.get(f"{issuer}/.well-known/openid-configuration")
        discovery.raise_for_status()
        form = {"grant_type": "client_credentials"}
        if self.settings.service_resource:
            form["resource"] = self.settings.service_resource
        answer = await http.post(
            discovery.json()["token_endpoint"],
            data=form,
            auth=(self.client_id, secret.get_secret_value()),
        )
        answer.raise_for_status()
        body = answer.json()
        lifetime = float(body.get("expires_in", 60))
        self._token = (str(body["access_token"]), time.monotonic() + max(lifetime - 30, 5))
        return self._token[0]


class ServiceClient:
    """Service-to-service REST calls, through the gateway, with the service's own credential.

    Each call names the city of the object concerned (``X-Jiebang-City``), so the callee
    applies the same tenant isolation as for any user.
    """

    def __init__(self, service: str, settings: Settings) -> None:
        self.service = service
        self.settings = settings
        self.client = make_client(settings.gateway_url, settings, max_connections=50)
        self.credential = ServiceCredential(service, settings)
        self.provider = httpx.AsyncClient(timeout=settings.oidc_timeout_seconds, trust_env=False)

    async def request(
        self,
        method: str,
        path: str,
        *,
        city: str,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        read_only: bool = False,
    ) -> httpx.Response:
        """``read_only``: a POST that changes nothing (a check), so the request making it may
        still be run again after a deadlock (``common.retry``)."""
        if method != "GET" and not read_only:
            note_outbound_write()
        try:
            token = await self.credential.token(self.provider)
            all_headers = {
                **context_headers(),
                "Authorization": f"Bearer {token}",
                CITY_HEADER: city,
            }
            all_headers.update(headers or {})
            return await self.client.request(
                method, path, json=json, params=params, headers=all_headers
            )
        except httpx.HTTPError as exc:
            target = path.split("/")[3] if path.count("/") > 3 else path
            raise ServiceUnavailable(
                f"{target} is unreachable; retry later",
                code="upstream.unavailable",
            ) from exc

    async def json(self, method: str, path: str, *, city: str, **kw: Any) -> Any:
        """Call and return the JSON body; a problem answer is re-raised with its status."""
        response = await self.request(method, path, city=city, **kw)
        if response.status_code >= 400:
            raise upstream_error(response)
        return response.json()

    async def aclose(self) -> None:
        await self.client.aclose()
        await self.provider.aclose()


def upstream_error(response: httpx.Response) -> JiebangError:
    try:
        problem = Problem.model_validate(response.json())
        return JiebangError(
            problem.detail or problem.title,
            code=problem.code,
            clause=problem.clause,
            detail_zh=problem.detail_zh,
            status=problem.status,
        )
    except Exception:
        return BadGateway(f"Upstream answered {response.status_code}", code="upstream.bad_answer")
