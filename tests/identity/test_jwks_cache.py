"""The key cache on its own, with a counted stand-in for the provider's JWKS endpoint: forged
kids cannot flood the provider, an outage keeps the last good keys, a removed key is gone
after the next refresh, and keys are refreshed after their maximum age."""

from typing import Any

import httpx
import pytest

from common.jwks import JwksCache, KeySetUnavailable


class Jwks:
    """The provider's JWKS endpoint as the cache sees it; counts fetches, can be down."""

    def __init__(self, *kids: str) -> None:
        self.kids = list(kids)
        self.fetches = 0
        self.down = False

    async def __call__(self) -> dict[str, Any]:
        self.fetches += 1
        if self.down:
            raise httpx.ConnectError("provider down")
        return {"keys": [{"kid": k, "kty": "RSA", "use": "sig"} for k in self.kids]}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _cache(jwks: Jwks, clock: Clock) -> JwksCache:
    return JwksCache(jwks, min_refresh_seconds=30, max_age_seconds=3600, clock=clock)


async def test_forged_kids_refresh_at_most_once_per_interval() -> None:
    jwks, clock = Jwks("a"), Clock()
    cache = _cache(jwks, clock)
    assert await cache.key("a") is not None
    clock.now += 31
    for i in range(50):
        assert await cache.key(f"forged-{i}") is None
    assert jwks.fetches == 2  # the first load, then one refresh for all fifty unknown kids
    clock.now += 29
    assert await cache.key("forged-again") is None
    assert jwks.fetches == 2
    clock.now += 2
    assert await cache.key("forged-again") is None
    assert jwks.fetches == 3


async def test_rotation_adds_the_new_key_and_drops_the_removed_one() -> None:
    jwks, clock = Jwks("old"), Clock()
    cache = _cache(jwks, clock)
    assert await cache.key("old") is not None
    jwks.kids = ["new"]
    clock.now += 31
    assert await cache.key("new") is not None
    assert await cache.key("old") is None


async def test_outage_keeps_the_last_good_keys() -> None:
    jwks, clock = Jwks("a"), Clock()
    cache = _cache(jwks, clock)
    assert await cache.key("a") is not None
    jwks.down = True
    clock.now += 7200  # past the maximum age: a refresh is tried, fails, the keys stay
    assert await cache.key("a") is not None
    assert await cache.key("unknown") is None


async def test_no_keys_ever_is_an_error_of_its_own() -> None:
    jwks = Jwks("a")
    jwks.down = True
    with pytest.raises(KeySetUnavailable):
        await _cache(jwks, Clock()).key("a")


async def test_keys_are_refreshed_after_their_maximum_age() -> None:
    jwks, clock = Jwks("a"), Clock()
    cache = _cache(jwks, clock)
    await cache.key("a")
    await cache.key("a")
    assert jwks.fetches == 1
    clock.now += 3601
    await cache.key("a")
    assert jwks.fetches == 2
