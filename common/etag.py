"""``ETag`` on every JSON read, and ``304 Not Modified`` when ``If-None-Match`` names it.

The tag is a hash of the exact answer, so it changes whenever anything the caller can see
changes (including what their role may see) and costs no extra query. Only GET/HEAD answers of
200 with a JSON body are tagged; streams (CSV exports) pass through untouched.
"""

import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str, tag: str) -> bool:
    candidates = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return tag in candidates or "*" in candidates


class ETagMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        wanted = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k == b"if-none-match"), ""
        )
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                json_ok = message["status"] == 200 and headers.get(b"content-type", b"").startswith(
                    b"application/json"
                )
                if not json_ok:
                    start = None
                    await send(message)
                    return
                start = message
                return
            if start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await _finish(start, b"".join(chunks), wanted, send)

        await self.app(scope, receive, buffered)


async def _finish(start: Message, body: bytes, wanted: str, send: Send) -> None:
    tag = etag_of(body)
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"etag"]
    headers.append((b"etag", tag.encode()))
    if wanted and _matches(wanted, tag):
        kept = [(k, v) for k, v in headers if k.lower() not in (b"content-length", b"content-type")]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body})
