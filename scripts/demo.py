"""`make demo`: one realistic round per city, filled in through the public gateway.

If a gateway already answers (``make run`` in another terminal) the demo uses it and exits.
Otherwise it starts the platform exactly as ``make run`` does (``scripts/run.py``: embedded
PostgreSQL unless ``DATABASE_URL``, migrations, the four processes on ports 8000–8003), fills
it, and keeps it running until Ctrl-C so a person can explore ``/docs`` with the data in place.
"""

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.scenario import CitySummary, run_all

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ("city", "demands", "challenges", "applications", "winners", "subsidy paid", "claw-backs")


def ready(gateway: str) -> bool:
    try:
        return httpx.get(f"{gateway}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def start_platform(gateway: str, timeout: float = 180.0) -> subprocess.Popen[bytes]:
    """``scripts/run.py`` in the same process group, so Ctrl-C reaches it as with make run."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "run.py")], cwd=ROOT)
    deadline = time.monotonic() + timeout
    while not ready(gateway):
        if proc.poll() is not None:
            raise SystemExit(f"the platform exited with {proc.returncode} during start-up")
        if time.monotonic() > deadline:
            proc.send_signal(signal.SIGINT)
            raise SystemExit("the platform did not become ready")
        time.sleep(0.5)
    return proc


def table(summaries: list[CitySummary]) -> str:
    rows = [COLUMNS] + [
        (
            s.city,
            str(s.demands),
            str(s.challenges),
            str(s.applications),
            str(s.winners),
            f"{s.subsidy_paid:,.2f}",
            f"{s.clawbacks} ({s.clawed_back:,.2f})",
        )
        for s in summaries
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(
            c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def where_to_look(gateway: str, summaries: list[CitySummary]) -> str:
    out = [f"\nExplore: {gateway}/docs  (tokens: POST /api/v1/auth/dev-token, see README)"]
    for s in summaries:
        for round_id in s.round_ids:
            out.append(
                f"  {s.city}: round report {gateway}/api/v1/reports/rounds/{round_id}?format=html"
                " (bureau or auditor token)"
            )
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--gateway", default=os.environ.get("JIEBANG_DEMO_GATEWAY", "http://127.0.0.1:8000")
    )
    parser.add_argument("--exit", action="store_true", help="stop a platform the demo started")
    args = parser.parse_args()
    platform = None if ready(args.gateway) else start_platform(args.gateway)
    try:
        summaries = asyncio.run(run_all(args.gateway))
        print("\n" + table(summaries))
        print(where_to_look(args.gateway, summaries), flush=True)
        if platform is not None and not args.exit:
            print("\nThe platform keeps running; Ctrl-C stops it.", flush=True)
            platform.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if platform is not None and platform.poll() is None:
            platform.send_signal(signal.SIGINT)
            platform.wait(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
