"""The proxy: a pure ASGI layer in front of the gateway's own FastAPI routes.

``/api/v1/<segment>/…`` for a service segment is verified, role-checked and forwarded here
without FastAPI's routing and validation on the hot path; everything else falls through to
the FastAPI app (health, identity, rule sets, docs).
"""

import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from urllib.parse import quote

import httpx
from starlette.types import ASGIApp, Receive, Scope, Send

from common import provincial
from common.auth import CITY_HEADER, Claims, Role, Verifier
from common.context import clock_override_var
from common.errors import (
    Forbidden,
    JiebangError,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
    Unauthorized,
    problem_response,
)
from common.settings import Settings
from gateway.ratelimit import RateLimiter
from gateway.routes import LOCAL_SEGMENTS, PUBLIC_READS, ROUTES, Route
from gateway.upstreams import Upstreams

__all__ = ["ProxyMiddleware", "TokenCache", "Upstreams"]

log = logging.getLogger("jiebang.gateway")
_FORWARD = {
    "content-type",
    "accept",
    "idempotency-key",
    "if-none-match",
    "accept-language",
    CITY_HEADER,
    "range",
    "if-range",
}
# A response larger than this (or of unknown length: a download) is relayed chunk by chunk;
# smaller ones (every JSON answer) are read whole, the fast path measured by ``make bench``.
STREAM_ABOVE = 256 * 1024
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
_READS = {"GET", "HEAD"}
_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "content-encoding",
    "server",
    "date",
    "x-request-id",
}


class TokenCache:
    """Verified tokens by their exact text (and a service call's city), until they expire:
    signature checks cost CPU."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, str | None], Claims] = OrderedDict()

    async def verify(self, token: str, verifier: Verifier, city: str | None) -> Claims:
        key = (token, city)
        claims = self._items.get(key)
        if claims is not None and claims.exp > time.time():
            self._items.move_to_end(key)
            return claims
        claims = await verifier.verify(token, city=city)
        self._items[key] = claims
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return claims


class ProxyMiddleware:
    """``streamed``: (method, path) → limit of the routes whose request body is a file; it is
    passed on as it arrives instead of being read whole (memory stays flat for 50 MiB)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        settings: Settings,
        state: object,
        streamed: dict[tuple[str, str], int] | None = None,
    ) -> None:
        self.app = app
        self.settings = settings
        self.streamed = streamed or {}
        self.state = state  # the FastAPI app's state: holds ``upstreams`` once started
        self.tokens = TokenCache()
        self.writes = RateLimiter(settings.write_rate_per_minute, "writes")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        segment = _segment(scope) if scope["type"] == "http" else None
        if segment is None or segment in LOCAL_SEGMENTS:
            await self.app(scope, receive, send)
            return
        try:
            await self._forward(scope, receive, send, segment)
        except JiebangError as exc:
            rid = scope.get("state", {}).get("request_id")
            await problem_response(exc.to_problem(rid), exc.headers)(scope, receive, send)

    async def _check(
        self, auth: str, route: Route, segment: str, method: str, headers: dict[str, str]
    ) -> None:
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized()
        verifier: Verifier = self.state.verifier  # type: ignore[attr-defined]
        claims = await self.tokens.verify(token.strip(), verifier, headers.get(CITY_HEADER))
        if claims.role not in route.roles or not _provincial_may(claims, method, segment):
            raise Forbidden(f"Role '{claims.role}' may not use /api/v1/{segment}", code="auth.role")
        if method in _WRITES and claims.role != Role.service:
            self.writes.check(f"{claims.city}:{claims.sub}")

    async def _forward(self, scope: Scope, receive: Receive, send: Send, segment: str) -> None:
        route = ROUTES.get(segment)
        if route is None:
            raise NotFound(f"No API under /api/v1/{segment}", code="not_found")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        auth = headers.get("authorization", "")
        public = not auth and scope["method"] in _READS and segment in PUBLIC_READS
        if not public:
            await self._check(auth, route, segment, scope["method"], headers)
        streamed = (scope["method"], scope["path"].rstrip("/")) in self.streamed
        overflow: list[PayloadTooLarge] = []
        body: bytes | AsyncIterator[bytes] = (
            _relay_body(receive, overflow) if streamed else await _read_all(receive)
        )
        # Forwarded as the bytes received: a header or path the client sent that is not
        # printable ASCII is the service's to refuse (4xx), never the proxy's to crash on.
        out: dict[str, str | bytes] = {
            k.decode("latin-1").lower(): v
            for k, v in scope["headers"]
            if k.decode("latin-1").lower() in _FORWARD
            or (streamed and k.decode("latin-1").lower() == "content-length")
        }
        if auth:
            out["authorization"] = auth
        out["x-request-id"] = scope["state"]["request_id"]
        pinned = clock_override_var.get()
        if pinned:
            out["x-clock-now"] = pinned
        upstreams: Upstreams = self.state.upstreams  # type: ignore[attr-defined]
        url, method = _target(scope), scope["method"]
        try:
            response = await upstreams.call(
                route.service, method, lambda client: _send(client, method, url, body, out)
            )
        except (httpx.TransportError, PayloadTooLarge) as exc:
            if overflow:  # the client sent more than the limit: not the service's failure
                raise overflow[0] from None
            raise _unavailable(route.service, exc) from exc
        try:
            await _relay(response, send)
        finally:
            await response.aclose()


def _unavailable(service: str, exc: Exception) -> Exception:
    if isinstance(exc, httpx.TimeoutException):
        return ServiceUnavailable(
            f"The {service} service did not answer in time", code="upstream.timeout"
        )
    if isinstance(exc, httpx.TransportError):
        return ServiceUnavailable(
            f"The {service} service is unavailable; retry later",
            code="upstream.unavailable",
            headers={"Retry-After": "2"},
        )
    return exc


def _small(response: httpx.Response) -> bool:
    length = response.headers.get("content-length")
    return length is not None and length.isdigit() and int(length) <= STREAM_ABOVE


async def _relay(response: httpx.Response, send: Send) -> None:
    """Read whole (by ``_send``) or chunk by chunk: a download never sits in memory."""
    raw = [
        (k.encode("latin-1"), v.encode("latin-1"))
        for k, v in response.headers.multi_items()
        if k.lower() not in _HOP
    ]
    if _small(response):
        content = response.content
        raw.append((b"content-length", str(len(content)).encode()))
        await send({"type": "http.response.start", "status": response.status_code, "headers": raw})
        await send({"type": "http.response.body", "body": content})
        return
    length = response.headers.get("content-length")
    if length is not None:
        raw.append((b"content-length", length.encode("latin-1")))
    await send({"type": "http.response.start", "status": response.status_code, "headers": raw})
    async for chunk in response.aiter_raw():
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def _send(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    body: bytes | AsyncIterator[bytes],
    headers: dict[str, str | bytes],
) -> httpx.Response:
    """Straight to the client's transport: a proxy needs none of the client's per-request
    cookie jar, redirect and auth handling or URL merging (measured: about a third of the
    gateway's own CPU per request on 2 cores; ``make bench``)."""
    request = httpx.Request(
        method,
        str(client.base_url).rstrip("/") + url,
        headers=[
            (k.encode("latin-1"), v if isinstance(v, bytes) else v.encode("latin-1"))
            for k, v in headers.items()
        ],
        content=body,
        extensions={"timeout": client.timeout.as_dict()},
    )
    # The client is the unit Upstreams (and the test fixtures) configure; its transport is
    # the aiohttp one (or ASGI in process). A small answer is read here, inside the attempt,
    # so a replica dying mid-answer is retried like any transport failure; a large one is
    # streamed by the caller, which closes it.
    response = await client._transport.handle_async_request(request)
    if _small(response):
        try:
            await response.aread()
        finally:
            await response.aclose()
    return response


def _provincial_may(claims: Claims, method: str, segment: str) -> bool:
    """A provincial platform reads its list of segments and nothing else (common.provincial)."""
    if claims.role != Role.provincial:
        return True
    return method in provincial.READS and segment in provincial.SEGMENTS


def _target(scope: Scope) -> str:
    """The path and query as the client encoded them (``raw_path``), so percent-escapes of
    control characters reach the service intact instead of breaking URL building here."""
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if raw else quote(scope["path"], safe="/:@!$&'()*+,;=~")
    query = scope.get("query_string", b"").decode("latin-1")
    return path + ("?" + query if query else "")


def _segment(scope: Scope) -> str | None:
    path: str = scope["path"]
    if not path.startswith("/api/v1/"):
        return None
    return path[len("/api/v1/") :].split("/", 1)[0]


async def _relay_body(receive: Receive, overflow: list[PayloadTooLarge]) -> AsyncIterator[bytes]:
    """The client's body as it arrives (``receive`` is capped by the context middleware; an
    overflow is noted so the answer is 413 whatever the HTTP client makes of the abort)."""
    while True:
        try:
            message = await receive()
        except PayloadTooLarge as exc:
            overflow.append(exc)
            raise
        if message["type"] != "http.request":
            return
        chunk = message.get("body", b"")
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return


async def _read_all(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)
