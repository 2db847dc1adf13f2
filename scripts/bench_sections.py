"""The benchmark's sections, each measured against the running stack and added to the report."""

import asyncio
import importlib.util
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from common.launch import Stack
from common.rulesets.registry import RuleSetRegistry
from scripts import bench_volumes as volumes
from scripts.bench_report import Report, Row
from scripts.bench_seed import CITY, Mix, auth, bounded, form_panel, seed_mix, submit_all
from scripts.loadgen import Call, Stat, replay, wrk

RULES = RuleSetRegistry.load(Path(__file__).resolve().parent.parent / "rulesets")
LEDGER_CITY = "bench-ledger"  # the scale ledger's own chain: never meets a real posting
REVIEW_SIZES = (100, 1_000, 10_000)
LEDGER_SIZES = (10_000, 100_000)
MIX_CONNECTIONS = 16
WRITERS = 8


@dataclass
class BenchContext:
    stack: Stack
    admin: str
    database: str
    seconds: int
    full: bool
    report: Report
    seeded: list[Mix] = field(default_factory=list)

    @property
    def gateway(self) -> str:
        return self.stack.gateway_url

    def mix(self) -> Mix:
        """Seeded once, through the public API, the first time a section needs it."""
        if not self.seeded:
            began = time.monotonic()
            self.seeded.append(asyncio.run(_seed(self.gateway)))
            self.report.notes.append(
                f"endpoint data seeded through the gateway in {time.monotonic() - began:.0f} s"
            )
        return self.seeded[0]


async def _seed(gateway: str) -> Mix:
    async with httpx.AsyncClient(base_url=gateway, timeout=60) as client:
        return await seed_mix(client, challenges=50, drafts=240, plans=300)


def _statements(url: str, headers: dict[str, str]) -> float | None:
    response = httpx.get(url, headers=headers, timeout=30)
    response.raise_for_status()
    value = response.headers.get("x-db-statements")
    return float(value) if value else None


def _read(url: str, headers: dict[str, str], connections: int, seconds: int) -> Stat:
    stat = wrk(url, headers, connections=connections, seconds=seconds)
    stat.statements = _statements(url, headers)
    return stat


def gateway_overhead(ctx: BenchContext) -> None:
    """The same read, on the service's own port and through the gateway."""
    m, r = ctx.mix(), ctx.report
    reads = {
        "challenge list (50)": ("/api/v1/challenges?limit=50", auth("bureau")),
        "application detail": (f"/api/v1/applications/{m.application_id}", m.solver),
    }
    for name, (path, headers) in reads.items():
        for conns in (1, 64):
            direct = _read(ctx.stack.url("intake") + path, headers, conns, ctx.seconds)
            via = _read(ctx.gateway + path, headers, conns, ctx.seconds)
            r.add(Row.of("overhead", f"{name}, {conns}c, direct", direct))
            ratio = via.requests_per_s / direct.requests_per_s
            added = via.p50_ms - direct.p50_ms
            r.add(Row.of("overhead", f"{name}, {conns}c, gateway", via, f"+{added:.2f} ms p50"))
            r.rows[-1].ratio = ratio
            if conns == 64:
                r.goal(f"{name}: gateway/direct throughput at 64c {ratio:.2f} ≥ 0.5", ratio >= 0.5)
            else:
                r.goal(f"{name}: gateway adds {added:.2f} ms p50 at 1c ≤ 1 ms", added <= 1.0)


def mix(ctx: BenchContext) -> None:
    """Reads with wrk, writes with the async generator, each over objects seeded for it."""
    m, r, gw = ctx.mix(), ctx.report, ctx.gateway
    bureau = auth("bureau")
    reads = {
        "challenge list (50)": ("/api/v1/challenges?limit=50", bureau),
        "application detail": (f"/api/v1/applications/{m.application_id}", m.solver),
        "funding read": (f"/api/v1/funding/{m.project_id}", bureau),
    }
    for name, (path, headers) in reads.items():
        stat = _read(gw + path, headers, MIX_CONNECTIONS, ctx.seconds)
        r.add(Row.of("mix", f"{name}, {MIX_CONNECTIONS}c", stat))
    writes = _write(gw, "application submit", m.submits)
    r.add(Row.of("mix", f"application submit, {WRITERS} writers", writes))
    asyncio.run(_submit_rest(gw, m.submits[writes.requests :]))
    panel = asyncio.run(_form(gw, m))
    r.add(
        Row.of(
            "mix", f"score submit, {WRITERS} writers", _write(gw, "scores", m.score_calls(panel))
        )
    )
    r.add(Row.of("mix", f"disbursement, {WRITERS} writers", _write(gw, "pay", m.disbursements)))


def _write(gateway: str, name: str, calls: list[Call]) -> Stat:
    return replay(gateway, calls, concurrency=WRITERS, seconds=10.0)


async def _submit_rest(gateway: str, calls: list[Call]) -> None:
    async with httpx.AsyncClient(base_url=gateway, timeout=60) as client:
        await submit_all(client, calls)


async def _form(gateway: str, m: Mix) -> str:
    async with httpx.AsyncClient(base_url=gateway, timeout=120) as client:
        return await form_panel(client, m, RULES.get(CITY).review.stages[0].code)


def scale(ctx: BenchContext) -> None:
    asyncio.run(_scale(ctx))


async def _scale(ctx: BenchContext) -> None:
    url = make_url(ctx.admin).set(drivername="postgresql", database=ctx.database)
    conn = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        async with httpx.AsyncClient(base_url=ctx.gateway, timeout=600) as client:
            await _results_curve(ctx.report, conn, client)
            sizes = (*LEDGER_SIZES, 1_000_000) if ctx.full else LEDGER_SIZES
            await _ledger_curve(ctx.report, conn, client, sizes)
    finally:
        await conn.close()
    _scale_goals(ctx.report)
    ctx.report.notes.append(
        "scale volumes inserted by SQL (INSERT … SELECT generate_series) as the admin user; "
        "every figure on them is measured through the gateway beside the raw SQL"
    )


def _scale_goals(r: Report) -> None:
    """Per curve: the API within 1.5 × the raw SQL at the largest size, and growth no worse
    than linear (time per item at the largest size ≤ 1.5 × that at the middle one)."""
    curves: dict[str, list[tuple[int, Row]]] = {}
    for row in r.rows:
        if row.section == "scale" and row.time_ms is not None:
            kind, size = row.case.split(", ", 1)
            curves.setdefault(kind, []).append((int(size.split()[0].replace(",", "")), row))
    for kind, points in curves.items():
        (n0, a), (n1, b) = points[-2], points[-1]
        growth = (b.time_ms or 0) / n1 / ((a.time_ms or 0) / n0)
        ratio = b.ratio or 0
        r.goal(f"{kind}: {ratio:.2f} × raw SQL at {n1:,} ≤ 1.5", ratio <= 1.5)
        r.goal(f"{kind}: time per item {n0:,} → {n1:,} grows {growth:.2f} × ≤ 1.5", growth <= 1.5)


async def _timed(call: Callable[[], Awaitable[Any]], repeat: int = 3) -> float:
    """Median wall time in ms of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        await call()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


async def _results_curve(r: Report, conn: asyncpg.Connection, client: httpx.AsyncClient) -> None:
    rules = RULES.get(CITY).review
    stages = [s.code for s in rules.stages]
    weights = [s.weight for s in rules.stages]
    bureau = auth("bureau")
    for n in REVIEW_SIZES:
        challenge, panels = await volumes.seed_review(conn, CITY, n, stages)
        closing = 0.0
        for panel in panels:
            began = time.perf_counter()
            response = await client.post(f"/api/v1/panels/{panel}/close", headers=bureau)
            closing += (time.perf_counter() - began) * 1000
            assert response.status_code == 200, response.text
        raw_close = 0.0
        for panel in panels:
            raw_close += await _timed(partial(conn.fetch, volumes.RAW_STAGE_SCORES, panel))
        size = f"{n:,} apps × 5 × {len(stages)}"
        r.add(Row("scale", f"panel close, {size}", time_ms=closing, raw_sql_ms=raw_close))
        r.rows[-1].ratio = closing / raw_close

        async def results(c: Any = challenge) -> None:
            answer = await client.get(
                "/api/v1/results", params={"challenge_id": str(c)}, headers=bureau
            )
            assert answer.status_code == 200, answer.text

        repeat = 1 if n >= 10_000 else 3
        api = await _timed(results, repeat)
        raw = await _timed(partial(conn.fetch, volumes.RAW_RESULTS, challenge, stages, weights))
        r.add(Row("scale", f"results, {size}", time_ms=api, raw_sql_ms=raw, ratio=api / raw))


async def _ledger_curve(
    r: Report, conn: asyncpg.Connection, client: httpx.AsyncClient, sizes: tuple[int, ...]
) -> None:
    auditor = auth("auditor", city=LEDGER_CITY)
    for n in sizes:
        began = time.monotonic()
        lines = await volumes.grow_ledger(conn, LEDGER_CITY, n)
        seeded = time.monotonic() - began

        async def balances() -> None:
            answer = await client.get("/api/v1/ledger/balances", headers=auditor)
            assert answer.status_code == 200, answer.text

        api = await _timed(balances)
        raw = await _timed(lambda: conn.fetch(volumes.RAW_BALANCES, LEDGER_CITY))
        r.add(
            Row(
                "scale",
                f"ledger balances, {lines:,} lines",
                time_ms=api,
                raw_sql_ms=raw,
                ratio=api / raw,
                note=f"seeded in {seeded:.0f} s",
            )
        )


def lifecycle(ctx: BenchContext) -> None:
    """Complete demo lifecycles per second through the gateway (``scripts/scenario.py``)."""
    if importlib.util.find_spec("scripts.scenario") is None:
        ctx.report.notes.append("lifecycle: scripts/scenario.py is not there yet; skipped")
        return
    from scripts import scenario

    asyncio.run(_lifecycles(ctx, scenario))


async def _lifecycles(ctx: BenchContext, scenario: Any) -> None:
    cities = [c.city for c in RULES.cities()]
    async with httpx.AsyncClient(base_url=ctx.gateway, timeout=120) as client:
        for parallel in (1, 4):
            began = time.perf_counter()
            runs = [scenario.run_city(client, cities[i % len(cities)]) for i in range(parallel * 2)]
            await bounded(runs, parallel)
            elapsed = time.perf_counter() - began
            ctx.report.add(
                Row(
                    "lifecycle",
                    f"{len(runs)} demo lifecycles, {parallel} at a time",
                    rps=len(runs) / elapsed,
                    time_ms=elapsed * 1000 / len(runs),
                    note="req/s = lifecycles/s; time = per lifecycle",
                )
            )
