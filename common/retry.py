"""Deadlocks and serialization failures (SQLSTATE 40P01, 40001): the request is run again, a
bounded number of times, when that is safe — its transaction was rolled back whole and it made
no write call to another service (``note_outbound_write``; reads are fine, and effects in other
services only happen after commit) — otherwise, or when the attempts run out, the answer is
``503 db.conflict`` with ``Retry-After``; never a 500.

Pure ASGI: the request body is kept to be replayed, and the response start is held back until
it is known not to be a retryable conflict. Tests: tests/reliability/test_exactly_once.py.
"""

import asyncio
import random
from contextvars import ContextVar
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONFLICT_STATES = ("40001", "40P01")
_attempt: ContextVar[dict[str, Any] | None] = ContextVar("db_conflict_attempt", default=None)


def note_conflict() -> None:
    """The error handler saw a serialization failure or deadlock."""
    state = _attempt.get()
    if state is not None:
        state["conflict"] = True


def note_outbound_write() -> None:
    """A write call went to another service: running the request again is no longer safe."""
    state = _attempt.get()
    if state is not None:
        state["wrote_out"] = True


class RetryOnConflict:
    def __init__(self, app: ASGIApp, *, attempts: int = 3) -> None:
        self.app = app
        self.attempts = attempts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)  # reads take no row locks to deadlock on
            return
        body = await _read_body(receive)
        for attempt in range(1, self.attempts + 1):
            state: dict[str, Any] = {"conflict": False, "wrote_out": False}
            token = _attempt.set(state)
            held: list[Message] = []
            try:
                await self.app(scope, _replay(body, receive), _holding(send, held, state))
            finally:
                _attempt.reset(token)
            retry = state.get("held") and state["conflict"] and not state["wrote_out"]
            if not retry or attempt == self.attempts:
                for message in held:
                    await send(message)
                return
            await asyncio.sleep(random.uniform(0.01, 0.05) * attempt)


async def _read_body(receive: Receive) -> list[Message]:
    messages = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body"):
            return messages


def _replay(body: list[Message], receive: Receive) -> Receive:
    queue = list(body)

    async def replay() -> Message:
        return queue.pop(0) if queue else await receive()

    return replay


def _holding(send: Send, held: list[Message], state: dict[str, Any]) -> Send:
    """Hold a 503 answer back (it may be a retryable conflict); pass anything else on."""

    async def holding(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] == 503:
            state["held"] = True
        if state.get("held"):
            held.append(message)
        else:
            await send(message)

    return holding
