"""The services' replicas behind the gateway: spread requests, step around a dead one.

``JIEBANG_<SERVICE>_URL`` lists a service's replicas, comma-separated. Requests go round-robin.
When a replica fails at the transport level:

- a read (GET, HEAD, OPTIONS) is idempotent and goes to the next replica;
- a write goes to the next replica only if it provably never left the gateway (the connection
  was refused: nothing reached the service); a write that may have arrived is never repeated
  here — the client gets ``503`` and retries with its ``Idempotency-Key``.

A replica that refused a connection is skipped for ``DOWN_SECONDS`` (unless all are down), so
one dead replica costs a connection attempt every few seconds, not every other request.
"""

import time
from collections.abc import Awaitable, Callable

import aiohttp
import httpx

from common.http import make_client
from common.settings import SERVICES, Settings

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
DOWN_SECONDS = 2.0


def never_sent(exc: BaseException) -> bool:
    """True when the connection itself failed, so no byte of the request reached a service."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, aiohttp.ClientConnectorError | httpx.ConnectError):
            return True
        seen = seen.__cause__
    return False


class Upstreams:
    """``clients[service]`` is the first replica (the one tests replace with an in-process
    app); ``replicas[service]`` all of them."""

    def __init__(self, settings: Settings) -> None:
        self.replicas: dict[str, list[httpx.AsyncClient]] = {
            s: [make_client(url, settings) for url in settings.service_urls(s)] for s in SERVICES
        }
        self.clients: dict[str, httpx.AsyncClient] = {s: r[0] for s, r in self.replicas.items()}
        self._turn: dict[str, int] = dict.fromkeys(SERVICES, 0)
        self._down_until: dict[int, float] = {}

    def order(self, service: str) -> list[httpx.AsyncClient]:
        """Every replica once, starting at the next in turn, those marked down last."""
        replicas = self.replicas[service]
        if len(replicas) == 1:
            return [self.clients[service]]
        turn = self._turn[service]
        self._turn[service] = (turn + 1) % len(replicas)
        rotated = replicas[turn:] + replicas[:turn]
        now = time.monotonic()
        return sorted(rotated, key=lambda c: self._down_until.get(id(c), 0.0) > now)

    async def call(
        self,
        service: str,
        method: str,
        attempt: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]],
    ) -> httpx.Response:
        candidates = self.order(service)
        for i, client in enumerate(candidates):
            try:
                return await attempt(client)
            except httpx.TransportError as exc:
                unsent = never_sent(exc)
                if unsent:
                    self._down_until[id(client)] = time.monotonic() + DOWN_SECONDS
                last = i == len(candidates) - 1
                if last or not (unsent or method in IDEMPOTENT):
                    raise
                if isinstance(exc, httpx.ReadTimeout):
                    raise  # a slow replica, not a dead one: do not double the wait
        raise AssertionError("unreachable: at least one replica")

    async def aclose(self) -> None:
        every = {id(c): c for r in self.replicas.values() for c in r}
        every.update({id(c): c for c in self.clients.values()})
        for client in every.values():
            await client.aclose()
