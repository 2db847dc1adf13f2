"""The benchmark's sections, each measured against the running stack and added to the report."""

import asyncio
import importlib.util
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from common.launch import Stack
from common.rulesets.registry import RuleSetRegistry
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
    log_dir: str | None = None
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
    """The same read from the baseline route (asyncpg + orjson), on the service's own port and
    through the gateway; *ratio* = the baseline's requests/s ÷ the endpoint's (how many times
    the plain cost), and for the gateway its throughput ÷ direct."""
    m, r = ctx.mix(), ctx.report
    base = ctx.stack.url("baseline")
    lead = m.solver_org
    reads = {
        "challenge list (50)": (
            "/api/v1/challenges?limit=50",
            auth("bureau"),
            f"/challenges?city={CITY}&limit=50",
        ),
        "application detail": (
            f"/api/v1/applications/{m.application_id}",
            m.solver,
            f"/applications/{m.application_id}?city={CITY}&lead={lead}",
        ),
    }
    for name, (path, headers, plain) in reads.items():
        for conns in (1, 64):
            yardstick = wrk(base + plain, {}, connections=conns, seconds=ctx.seconds)
            r.add(Row.of("overhead", f"{name}, {conns}c, baseline", yardstick))
            direct = _read(ctx.stack.url("intake") + path, headers, conns, ctx.seconds)
            cost = yardstick.requests_per_s / direct.requests_per_s
            r.add(Row.of("overhead", f"{name}, {conns}c, direct", direct, "× baseline cost"))
            r.rows[-1].ratio = cost
            via = _read(ctx.gateway + path, headers, conns, ctx.seconds)
            ratio = via.requests_per_s / direct.requests_per_s
            added = via.p50_ms - direct.p50_ms
            r.add(Row.of("overhead", f"{name}, {conns}c, gateway", via, f"+{added:.2f} ms p50"))
            r.rows[-1].ratio = ratio
            if conns == 64:
                r.goal(f"{name}: gateway/direct throughput at 64c {ratio:.2f} ≥ 0.5", ratio >= 0.5)
            else:
                r.goal(f"{name}: direct costs {cost:.2f} × the baseline at 1c ≤ 1.5", cost <= 1.5)
                r.goal(f"{name}: gateway adds {added:.2f} ms p50 at 1c ≤ 1 ms", added <= 1.0)


def workers(ctx: BenchContext) -> None:
    """Intake's published list at 64 connections with 1 and then 2 uvicorn workers."""
    path = ctx.stack.url("intake") + "/api/v1/challenges?limit=50"
    for count in (1, 2):
        ctx.stack.stop("intake")
        ctx.stack.workers = count
        ctx.stack.start("intake", log_dir=ctx.log_dir)
        ctx.stack.wait_ready()
        stat = _read(path, auth("bureau"), 64, ctx.seconds)
        ctx.report.add(Row.of("workers", f"challenge list (50), 64c, {count} worker(s)", stat))
    ctx.stack.stop("intake")
    ctx.stack.workers = 1
    ctx.stack.start("intake", log_dir=ctx.log_dir)
    ctx.stack.wait_ready()


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
