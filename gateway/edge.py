"""What every answer of the public entry carries, and what it never does.

* CORS for the configured browser origins (``cors_origins``): a preflight is answered here,
  before the proxy, so it needs no token; credentials are never allowed with a wildcard.
* Security headers on every answer; ``Cache-Control: no-store`` unless the route chose another
  (the public list says ``public``), so private data never sits in a shared cache.
* No header naming an internal service or the server software in production (``X-Served-By``
  is a dev-mode diagnostic, like ``X-DB-Statements``).
"""

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common.settings import Settings

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-site"),
]
_INTERNAL = {b"x-served-by", b"server", b"x-db-statements"}
EXPOSED = ["X-Request-ID", "ETag", "Retry-After", "Content-Disposition", "Location"]
ALLOWED_HEADERS = [
    "Authorization",
    "Content-Type",
    "Accept",
    "Accept-Language",
    "Idempotency-Key",
    "If-None-Match",
    "X-Request-ID",
]


class EdgeHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, dev_mode: bool) -> None:
        self.app = app
        self.dev_mode = dev_mode

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if self.dev_mode or k.lower() not in _INTERNAL
                ]
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                if b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def add_edge_middleware(app: FastAPI, settings: Settings) -> None:
    """Outermost layers of the gateway (added last, so they run first)."""
    origins = settings.cors_allowed_origins
    app.add_middleware(EdgeHeadersMiddleware, dev_mode=settings.dev_mode)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_credentials="*" not in origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=ALLOWED_HEADERS,
        expose_headers=EXPOSED,
        max_age=600,
    )
