"""One pure-ASGI middleware for every process: request ID, clock pin, body limits, access log.

Pure ASGI (not BaseHTTPMiddleware) because it sits on every request of the gateway's hot path.
"""

import logging
import os
import re
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common.clock import parse_override
from common.context import (
    accept_or_make_request_id,
    clock_override_var,
    db_statements_var,
    request_id_var,
)
from common.errors import JiebangError, PayloadTooLarge, Unprocessable, problem_response
from common.problem_zh import language_var, preferred_language

access = logging.getLogger("jiebang.access")
# A JSON "\u0000" escape not itself escaped: PostgreSQL text cannot hold NUL.
_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


class RequestContextMiddleware:
    """``streamed``: (method, path) → body limit for the few routes whose body is a file
    (document upload): passed through unbuffered, counted, and cut at that limit; every other
    body is read whole (it is small JSON) and checked for NUL bytes."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        dev_mode: bool,
        served_by: str,
        streamed: dict[tuple[str, str], int] | None = None,
    ) -> None:
        self.app = app
        self.served_by = served_by.encode()
        self.max_body_bytes = max_body_bytes
        self.dev_mode = dev_mode
        self.pid = str(os.getpid()).encode()
        self.streamed = streamed or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        rid = accept_or_make_request_id(headers.get("x-request-id"))
        scope.setdefault("state", {})["request_id"] = rid
        rid_token = request_id_var.set(rid)
        clock_token = clock_override_var.set(
            parse_override(headers.get("x-clock-now")) if self.dev_mode else None
        )
        language_token = language_var.set(preferred_language(headers.get("accept-language")))
        counter: list[float] = [0, 0.0]
        stmt_token = db_statements_var.set(counter)
        started = time.perf_counter()
        status_holder: dict[str, Any] = {"status": 500}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-request-id", rid.encode("latin-1")),
                ]
                if not any(k == b"x-served-by" for k, _ in message["headers"]):
                    message["headers"].append((b"x-served-by", self.served_by))
                if self.dev_mode:  # which process answered (replica tests), and its SQL count
                    message["headers"].append((b"x-replica", self.pid))
                    if counter[0]:
                        message["headers"] += [
                            (b"x-db-statements", str(int(counter[0])).encode()),
                            (b"x-db-ms", f"{counter[1] * 1000:.1f}".encode()),
                        ]
            await send(message)

        try:
            limit = self.streamed.get((scope["method"], scope["path"].rstrip("/")))
            refusal: JiebangError | None
            if limit is not None:
                refusal, body = _declared_within(headers, limit), None
                receive = capped(receive, limit)
            else:
                refusal, body = await self._read_body(scope, receive, headers)
            if refusal is not None:
                response = problem_response(refusal.to_problem(rid), refusal.headers)
                await response(scope, receive, send_wrapper)
                return
            await self.app(scope, _replay(body, receive), send_wrapper)
        finally:
            route = scope.get("route")
            access.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "route": getattr(route, "path", None),
                    "status": status_holder["status"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id_var.reset(rid_token)
            clock_override_var.reset(clock_token)
            db_statements_var.reset(stmt_token)
            language_var.reset(language_token)

    async def _read_body(
        self, scope: Scope, receive: Receive, headers: dict[str, str]
    ) -> tuple[JiebangError | None, bytes | None]:
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope["path"]:
            return Unprocessable("NUL bytes are not allowed", code="request.nul_byte"), None
        declared = headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_body_bytes:
            return self._too_large(), None
        if scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE") and not declared:
            return None, None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return self._too_large(), None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if b"\x00" in body or _NUL_ESCAPE.search(body):
            return Unprocessable("NUL bytes are not allowed in text", code="request.nul_byte"), None
        return None, body

    def _too_large(self) -> PayloadTooLarge:
        return too_large(self.max_body_bytes)


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The request body exceeds {limit} bytes",
        code="request.too_large",
        detail_zh=f"请求体超过 {limit} 字节",
    )


def _declared_within(headers: dict[str, str], limit: int) -> PayloadTooLarge | None:
    declared = headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return too_large(limit)
    return None


def capped(receive: Receive, limit: int) -> Receive:
    """``receive`` that raises 413 once more than ``limit`` bytes came (a body sent without
    Content-Length, or one longer than it said)."""
    size = 0

    async def counting() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                raise too_large(limit)
        return message

    return counting


def _replay(body: bytes | None, receive: Receive) -> Receive:
    if body is None:
        return receive
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
