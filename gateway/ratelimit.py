"""Fixed one-minute windows per key: the dev-token endpoint (per client address) and writes
through the proxy (per token subject). In-process, per gateway replica: a brake on a runaway
or abusive client, not a quota system."""

import time

from common.errors import TooManyRequests


class RateLimiter:
    def __init__(self, per_minute: int, what: str = "requests") -> None:
        self.per_minute = per_minute
        self.what = what
        self.windows: dict[str, tuple[int, int]] = {}

    def check(self, key: str) -> None:
        """Count one request for ``key``; 429 with Retry-After once the minute's budget is spent."""
        minute = int(time.time() // 60)
        start, count = self.windows.get(key, (minute, 0))
        if start != minute:
            start, count = minute, 0
        if count >= self.per_minute:
            raise TooManyRequests(
                f"Too many {self.what}; retry next minute",
                code="rate_limited",
                headers={"Retry-After": str(60 - int(time.time()) % 60)},
            )
        self.windows[key] = (start, count + 1)
        if len(self.windows) > 10_000:
            self.windows.clear()
