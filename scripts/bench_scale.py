"""The bench's scale section: volumes inserted by SQL, measured through the API beside the raw
SQL (and the baseline route) of the same work, in the same run.

- panel close: API time, the database time the service spent (``X-DB-Ms``), the raw grouping;
  closing the last stage also computes and stores the challenge's results.
- results: one page (50) of the stored results at the top and in the middle, through the
  gateway, beside the same page from the baseline route and as raw SQL.
- ledger balances; the ledger CSV export streamed from finance with its peak RSS.
"""

import asyncio
import base64
import statistics
import threading
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import psutil
from sqlalchemy.engine import make_url

from common.rulesets.registry import RuleSetRegistry
from scripts import bench_ledger_verify as ledger_verify
from scripts import bench_volumes as volumes
from scripts.bench_baseline import RESULTS as RAW_PAGE
from scripts.bench_report import Report, Row
from scripts.bench_seed import CITY, auth

RULES = RuleSetRegistry.load(Path(__file__).resolve().parent.parent / "rulesets")
LEDGER_CITY = "bench-ledger"  # the scale ledger's own chain: never meets a real posting
REVIEW_SIZES = (100, 1_000, 10_000)
LEDGER_SIZES = (10_000, 100_000)
PAGE = 50


def scale(ctx: Any) -> None:
    asyncio.run(_scale(ctx))
    url = make_url(ctx.admin).set(drivername="postgresql", database=ctx.database)
    ledger_verify.run(ctx.report, url.render_as_string(hide_password=False), ctx.gateway)


async def _scale(ctx: Any) -> None:
    url = make_url(ctx.admin).set(drivername="postgresql", database=ctx.database)
    conn = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        async with httpx.AsyncClient(base_url=ctx.gateway, timeout=600) as client:
            await _results_curve(ctx, conn, client)
            sizes = (*LEDGER_SIZES, 1_000_000) if ctx.full else LEDGER_SIZES
            await _ledger_curve(ctx, conn, client, sizes)
    finally:
        await conn.close()
    _scale_goals(ctx.report)
    ctx.report.notes.append(
        "scale volumes inserted by SQL (INSERT … SELECT generate_series) as the admin user; "
        "every figure on them is measured through the gateway beside the raw SQL"
    )


def _curves(r: Report, kind: str) -> list[tuple[int, Row]]:
    points = []
    for row in r.rows:
        if row.section == "scale" and row.case.startswith(kind + ", "):
            size = row.case.split(", ", 1)[1].split()[0].replace(",", "")
            points.append((int(size), row))
    return points


def _scale_goals(r: Report) -> None:
    """Close: under 1 s of database time per panel of 10⁴, linear; results pages: within
    1.5 × the baseline route and flat in the challenge's size; balances: 1.5 × raw SQL."""
    close = _curves(r, "panel close")
    if len(close) >= 2:
        (n0, a), (n1, b) = close[-2], close[-1]
        db = (b.db_ms or 0) / 2
        r.goal(f"panel close: {db:,.0f} ms DB time per panel of {n1:,} ≤ 1,000", db <= 1000)
        growth = (b.db_ms or 0) / n1 / ((a.db_ms or 1) / n0)
        r.goal(
            f"panel close: DB time per item {n0:,} → {n1:,} grows {growth:.2f} × ≤ 1.5",
            growth <= 1.5,
        )
    pages = _curves(r, "results page")
    if pages:
        n, last = pages[-1]
        ratio = last.ratio or 0
        r.goal(f"results page at {n:,}: {ratio:.2f} × the baseline route ≤ 1.5", ratio <= 1.5)
        first = pages[0][1].p50_ms or 1
        flat = (last.p50_ms or 0) / first
        r.goal(f"results page p50 {pages[0][0]:,} → {n:,}: {flat:.2f} × ≤ 1.5 (flat)", flat <= 1.5)
    balances = _curves(r, "ledger balances")
    if balances:
        n, row = balances[-1]
        r.goal(
            f"ledger balances: {row.ratio or 0:.2f} × raw SQL at {n:,} ≤ 1.5",
            (row.ratio or 9) <= 1.5,
        )


async def _timed(call: Callable[[], Awaitable[Any]], repeat: int = 3) -> float:
    """Median wall time in ms of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        await call()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


async def _close(client: httpx.AsyncClient, panels: list[Any]) -> tuple[float, float]:
    api = db = 0.0
    for panel in panels:
        began = time.perf_counter()
        response = await client.post(f"/api/v1/panels/{panel}/close", headers=auth("bureau"))
        api += (time.perf_counter() - began) * 1000
        assert response.status_code == 200, response.text
        db += float(response.headers.get("x-db-ms", "nan"))
    return api, db


def _cursor(rank: int) -> str:
    return base64.urlsafe_b64encode(f"rank:{rank}".encode()).decode().rstrip("=")


async def _results_curve(ctx: Any, conn: asyncpg.Connection, client: httpx.AsyncClient) -> None:
    r, stages = ctx.report, [s.code for s in RULES.get(CITY).review.stages]
    baseline = ctx.stack.url("baseline")
    for n in REVIEW_SIZES:
        challenge, panels = await volumes.seed_review(conn, CITY, n, stages)
        api, db = await _close(client, panels)
        raw = 0.0
        for panel in panels:
            raw += await _timed(partial(conn.fetch, volumes.RAW_STAGE_SCORES, panel))
        size = f"{n:,} apps × 5 × {len(stages)}"
        note = f"DB {db:,.0f} ms; last close stores {n:,} results"
        r.add(
            Row("scale", f"panel close, {size}", time_ms=api, raw_sql_ms=raw, db_ms=db, note=note)
        )
        r.rows[-1].ratio = api / raw
        middle = max(0, n // 2 - 1)
        params = {"challenge_id": str(challenge), "limit": PAGE, "cursor": _cursor(middle)}

        expected = min(PAGE, n - middle)

        async def page(p: dict[str, Any] = params, expected: int = expected) -> None:
            answer = await client.get("/api/v1/results", params=p, headers=auth("bureau"))
            assert answer.status_code == 200 and len(answer.json()["items"]) == expected

        async with httpx.AsyncClient(base_url=baseline) as plain:
            base = partial(
                plain.get, "/results", params={"city": CITY, "challenge_id": str(challenge)}
            )
            api_ms = await _timed(page, 21)
            base_ms = await _timed(base, 21)
        raw_ms = await _timed(partial(conn.fetch, RAW_PAGE, CITY, challenge, middle, PAGE + 1), 21)
        note = f"page of {PAGE} at rank {middle + 1}; baseline route {base_ms:.2f} ms"
        r.add(Row("scale", f"results page, {size}", p50_ms=api_ms, time_ms=api_ms,
                  raw_sql_ms=raw_ms, ratio=api_ms / base_ms, note=note))  # fmt: skip


def _peak_rss(pid: int, stop: threading.Event, seen: list[int]) -> None:
    process = psutil.Process(pid)
    while not stop.is_set():
        seen.append(process.memory_info().rss)
        time.sleep(0.02)


async def _export(ctx: Any, n: int) -> None:
    """The ledger CSV straight from finance (the gateway buffers answers today), with the peak
    RSS of the finance process while it streams."""
    pid = ctx.stack.processes["finance"].pid
    before = psutil.Process(pid).memory_info().rss
    stop, seen = threading.Event(), [before]
    sampler = threading.Thread(target=_peak_rss, args=(pid, stop, seen))
    sampler.start()
    began, size = time.perf_counter(), 0
    try:
        async with (
            httpx.AsyncClient(base_url=ctx.stack.url("finance"), timeout=600) as direct,
            direct.stream(
                "GET", "/api/v1/reports/ledger", headers=auth("auditor", city=LEDGER_CITY)
            ) as answer,
        ):
            assert answer.status_code == 200
            async for chunk in answer.aiter_bytes():
                size += len(chunk)
    finally:
        stop.set()
        sampler.join()
    took = (time.perf_counter() - began) * 1000
    growth = (max(seen) - before) / 2**20
    note = (
        f"{size / 2**20:,.0f} MB CSV; finance RSS {before / 2**20:,.0f} MB, "
        f"+{growth:,.1f} MB at peak"
    )
    ctx.report.add(Row("scale", f"ledger CSV export, {n:,} lines", time_ms=took, note=note))


async def _ledger_curve(
    ctx: Any, conn: asyncpg.Connection, client: httpx.AsyncClient, sizes: tuple[int, ...]
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
        note = f"seeded in {seeded:.0f} s"
        r = ctx.report
        r.add(Row("scale", f"ledger balances, {lines:,} lines", time_ms=api, raw_sql_ms=raw,
                  ratio=api / raw, note=note))  # fmt: skip
        await _export(ctx, lines)
