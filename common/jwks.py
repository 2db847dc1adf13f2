"""The identity provider's signing keys: discovery document → JWKS, cached per process.

* Keys are fetched once and kept; after ``jwks_max_age_seconds`` the next token refreshes them.
* A token whose ``kid`` is unknown triggers a refresh (the provider rotated its keys), at most
  once per ``jwks_refresh_min_seconds``: forged kids cannot make the platform flood the
  provider, and a refused kid is simply unknown until the next allowed refresh.
* When the provider cannot be reached, the last good keys stay in use (an outage of the
  provider must not sign everybody out); a key the provider removed is gone after the next
  successful refresh.

Tested by ``tests/identity/test_jwks_cache.py`` (counting fetches) and
``tests/identity/test_oidc_provider.py`` (a real provider: rotation, outage).
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

log = logging.getLogger("jiebang.jwks")
Fetch = Callable[[], Awaitable[dict[str, Any]]]


class KeySetUnavailable(Exception):
    """No keys at all: the provider never answered since this process started."""


class JwksCache:
    def __init__(
        self,
        fetch: Fetch,
        *,
        min_refresh_seconds: float,
        max_age_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self.min_refresh_seconds = min_refresh_seconds
        self.max_age_seconds = max_age_seconds
        self._clock = clock
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at: float | None = None
        self._tried_at: float | None = None
        self._lock = asyncio.Lock()

    @property
    def kids(self) -> frozenset[str]:
        return frozenset(self._keys)

    async def key(self, kid: str) -> dict[str, Any] | None:
        """The public JWK for ``kid``, or None when the provider does not publish it."""
        now = self._clock()
        stale = self._fetched_at is None or now - self._fetched_at > self.max_age_seconds
        if stale or kid not in self._keys:
            await self.refresh()
        return self._keys.get(kid)

    async def refresh(self, *, force: bool = False) -> None:
        async with self._lock:
            now = self._clock()
            recently = (
                self._tried_at is not None and now - self._tried_at < self.min_refresh_seconds
            )
            if recently and not force:
                return
            self._tried_at = now
            try:
                document = await self._fetch()
                keys = {
                    str(k["kid"]): k
                    for k in document.get("keys", [])
                    if isinstance(k, dict) and k.get("kid") and k.get("use", "sig") == "sig"
                }
            except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
                log.warning("JWKS refresh failed; keeping %d cached keys: %s", len(self._keys), exc)
                if not self._keys:
                    raise KeySetUnavailable(str(exc)) from exc
                return
            self._keys = keys
            self._fetched_at = now


def provider_fetch(issuer: str, jwks_url: str | None, timeout: float) -> Fetch:
    """Discovery (``/.well-known/openid-configuration``) names the JWKS unless it is given."""
    discovered: dict[str, str] = {}

    async def fetch() -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=timeout, trust_env=False) as client:
            url = jwks_url or discovered.get("jwks_uri")
            if url is None:
                answer = await client.get(issuer.rstrip("/") + "/.well-known/openid-configuration")
                answer.raise_for_status()
                document = answer.json()
                if document.get("issuer") != issuer:
                    raise ValueError(f"discovery names issuer {document.get('issuer')!r}")
                url = discovered["jwks_uri"] = str(document["jwks_uri"])
                discovered["token_endpoint"] = str(document.get("token_endpoint", ""))
            answer = await client.get(url)
            answer.raise_for_status()
            keys: dict[str, Any] = answer.json()
            return keys

    fetch.discovered = discovered  # type: ignore[attr-defined]
    return fetch
