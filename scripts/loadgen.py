"""Load generation for the benchmark: wrk for reads, an async httpx generator for writes.

Both run in their own process against loopback only, bounded in time and count.
"""

import asyncio
import multiprocessing
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import asdict, dataclass, field
from typing import Any

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Stat:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    statements: float | None = None

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s)", text)
    if not match:
        raise ValueError(f"unreadable latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(url: str, headers: dict[str, str], *, connections: int, seconds: int = 5) -> Stat:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (Debian package 'wrk')")
    cmd = [
        "wrk",
        "-t",
        str(min(2, connections)),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(bad.group(1)) if bad else 0
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    return Stat(rps, p50, p99, total, errors)


@dataclass(frozen=True)
class Call:
    """One prepared request for the write generator (writes cannot be replayed by wrk)."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    json: Any = None


def replay(
    base_url: str, calls: list[Call], *, concurrency: int = 8, seconds: float = 10.0
) -> Stat:
    """Send each call once from a separate process, ``concurrency`` at a time, stopping after
    ``seconds``; answers >= 400 count as errors. ``statements`` is the median X-DB-Statements."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply(_replay_in_process, (base_url, calls, concurrency, seconds))


def _replay_in_process(base_url: str, calls: list[Call], concurrency: int, seconds: float) -> Stat:
    return asyncio.run(_replay(base_url, calls, concurrency, seconds))


async def _replay(base_url: str, calls: list[Call], concurrency: int, seconds: float) -> Stat:
    import httpx
    from httpx_aiohttp import AiohttpTransport

    pending = iter(calls)
    latencies: list[float] = []
    statements: list[int] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    transport = AiohttpTransport(limits=limits, trust_env=False)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        for call in pending:
            if time.perf_counter() > deadline:
                return
            started = time.perf_counter()
            response = await client.request(
                call.method, call.path, headers=call.headers, json=call.json
            )
            latencies.append((time.perf_counter() - started) * 1000)
            errors += response.status_code >= 400
            if "x-db-statements" in response.headers:
                statements.append(int(response.headers["x-db-statements"]))

    async with httpx.AsyncClient(base_url=base_url, transport=transport, timeout=30) as client:
        began = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return Stat(
        requests_per_s=len(latencies) / elapsed,
        p50_ms=_percentile(latencies, 50),
        p99_ms=_percentile(latencies, 99),
        requests=len(latencies),
        errors=errors,
        statements=statistics.median(statements) if statements else None,
    )


def _percentile(values: list[float], pct: int) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]
