"""`make bench`: the real processes on a fresh database, measured side by side in one run.

Prints one table and writes it as JSON to ``.bench/latest.json`` (and a timestamped copy).
Figures: gateway overhead (direct vs gateway, wrk), the endpoint mix through the gateway (wrk
for reads, a separate-process async generator for writes), the scale curve (results and the
ledger audit query beside the raw SQL of the same aggregation), lifecycle throughput, and a
50 MiB document up and down through the gateway with the gateway's peak memory.

    python scripts/bench.py [--seconds 5] [--full]     --full adds the 10⁶-line ledger
"""

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from common.devdb import ensure_embedded, raise_interrupt, stop_embedded
from common.launch import Stack, free_port, launch
from common.settings import ROOT
from scripts.bench_documents import documents
from scripts.bench_report import Report
from scripts.bench_scale import scale
from scripts.bench_sections import BenchContext, gateway_overhead, lifecycle, mix, workers

DATABASE = "jiebang_bench"
OUT = ROOT / ".bench"


EMBEDDED = ROOT / ".data" / "bench-pg"


def _given_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")


def _fresh_database(admin: str) -> None:
    """Dropped and migrated anew each run, as ``tests/conftest.py`` does for the tests."""
    from common.migrate import upgrade_all
    from common.settings import Settings
    from tests.conftest import _recreate

    settings = Settings(database_url=admin, database_name=DATABASE, env="test")
    asyncio.run(_recreate(settings, DATABASE))
    upgrade_all(settings, DATABASE)


def _start(admin: str) -> Stack:
    """The four processes, one worker each, and the baseline app beside them."""
    logs = OUT / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    env = {
        "JIEBANG_DATABASE_NAME": DATABASE,
        "JIEBANG_ENV": "test",
        "JIEBANG_LOG_LEVEL": "WARNING",
        "JIEBANG_UPSTREAM_TIMEOUT_SECONDS": "300",  # the 10⁴ scale point takes longer than 15 s
        "JIEBANG_WRITE_RATE_PER_MINUTE": "10000000",  # measure throughput, not the limiters
        "JIEBANG_DEV_TOKEN_RATE_PER_MINUTE": "10000000",
    }
    from common.settings import Settings
    from tests.memberships import LIVE_DATABASES

    # Owners' and solvers' memberships go straight into this database (scripts/bench_seed.py).
    LIVE_DATABASES.append(Settings(database_url=admin, database_name=DATABASE, env="test"))
    stack = launch(admin, extra_env=env, log_dir=str(logs))
    stack.ports["baseline"] = free_port()
    out = open(logs / "baseline.log", "ab")  # noqa: SIM115
    stack.processes["baseline"] = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "scripts.bench_baseline:app", "--no-access-log",
         "--log-level", "warning", "--port", str(stack.ports["baseline"])],
        cwd=ROOT, env=stack.env, stdout=out, stderr=subprocess.STDOUT,
    )  # fmt: skip
    stack.wait_ready()
    return stack


def _write(report: Report) -> Path:
    OUT.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    data = json.dumps(report.as_dict(), indent=2, ensure_ascii=False)
    (OUT / f"bench-{stamp}.json").write_text(data)
    latest = OUT / "latest.json"
    latest.write_text(data)
    return latest


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="duration of each wrk point")
    parser.add_argument("--full", action="store_true", help="also the 10⁶-line ledger")
    parser.add_argument(
        "--only",
        nargs="*",
        default=["overhead", "workers", "mix", "scale", "lifecycle", "documents"],
        help="sections",
    )
    args = parser.parse_args(argv)
    admin = _given_url() or ensure_embedded(EMBEDDED)
    began = time.monotonic()
    print(f"bench database {DATABASE} on {admin.split('@')[-1]}", flush=True)
    signal.signal(signal.SIGTERM, raise_interrupt)  # the finally below also runs on kill
    stack: Stack | None = None
    report = Report(started=datetime.now(UTC).isoformat(), cores=os.cpu_count() or 0)
    try:
        _fresh_database(admin)
        stack = _start(admin)
        ctx = BenchContext(
            stack, admin, DATABASE, args.seconds, args.full, report, str(OUT / "logs")
        )
        for name, section in (
            ("overhead", gateway_overhead),
            ("workers", workers),
            ("mix", mix),
            ("scale", scale),
            ("lifecycle", lifecycle),
            ("documents", documents),
        ):
            if name in args.only:
                print(f"· {name}", flush=True)
                section(ctx)
    finally:
        if stack is not None:
            stack.stop_all()
        if not _given_url():
            stop_embedded(EMBEDDED)
    report.seconds = round(time.monotonic() - began, 1)
    print(report.table())
    print(f"written to {_write(report).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
