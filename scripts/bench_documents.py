"""`make bench` section: a 50 MiB document up and down through the gateway, with the gateway's
memory watched while it relays (it streams both ways: its RSS must stay flat, not grow by the
file's size). The gateway's process tree (its uvicorn workers included) is sampled every 10 ms.
"""

import asyncio
import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psutil

from scripts import sample_files
from scripts.bench_report import Row
from scripts.bench_seed import auth

MIB = 1024 * 1024
SIZE = 50 * MIB
GROWTH_GOAL_MIB = 20  # a relay that buffered the file would grow by about 50 MiB or more


def _tree_rss(root: psutil.Process) -> int:
    total = 0
    for proc in [root, *root.children(recursive=True)]:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            continue
    return total


@contextmanager
def watch(pid: int) -> Iterator[Callable[[], tuple[int, int]]]:
    """Yields a function giving (baseline, peak) RSS in bytes of ``pid`` and its children."""
    root = psutil.Process(pid)
    baseline = _tree_rss(root)
    peak = [baseline]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(root))
            time.sleep(0.01)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield lambda: (baseline, peak[0])
    finally:
        done.set()
        thread.join()


def _big_pdf(folder: str) -> tuple[Path, str]:
    """A valid PDF padded to 50 MiB, and its sha256."""
    path = Path(folder) / "大文件.pdf"
    head = sample_files.pdf("bench")
    digest = hashlib.sha256(head)
    with path.open("wb") as out:
        out.write(head)
        left = SIZE - len(head)
        while left > 0:
            chunk = os.urandom(min(MIB, left))
            digest.update(chunk)
            out.write(chunk)
            left -= len(chunk)
    return path, digest.hexdigest()


async def _up_and_down(gateway: str, path: Path, sha: str, pid: int) -> dict[str, Any]:
    headers = auth("bureau")
    async with httpx.AsyncClient(base_url=gateway, timeout=300) as client:
        with watch(pid) as up_rss, path.open("rb") as data:
            began = time.perf_counter()
            answer = await client.post(
                "/api/v1/documents",
                headers=headers,
                data={"kind": "other", "title": "bench"},
                files={"file": (path.name, data, "application/pdf")},
            )
            up_ms = (time.perf_counter() - began) * 1000
        answer.raise_for_status()
        doc = answer.json()
        digest = hashlib.sha256()
        with watch(pid) as down_rss:
            began = time.perf_counter()
            url = f"/api/v1/documents/{doc['id']}/content"
            async with client.stream("GET", url, headers=headers) as got:
                got.raise_for_status()
                async for chunk in got.aiter_bytes():
                    digest.update(chunk)
            down_ms = (time.perf_counter() - began) * 1000
    return {
        "sha_ok": digest.hexdigest() == doc["sha256"] == sha,
        "up": (up_ms, *up_rss()),
        "down": (down_ms, *down_rss()),
    }


def documents(ctx: Any) -> None:
    pid = ctx.stack.processes["gateway"].pid
    with tempfile.TemporaryDirectory() as folder:
        path, sha = _big_pdf(folder)
        result = asyncio.run(_up_and_down(ctx.gateway, path, sha, pid))
    for case in ("up", "down"):
        ms, baseline, peak = result[case]
        growth = (peak - baseline) / MIB
        ctx.report.add(
            Row(
                "documents",
                f"50 MiB {'upload' if case == 'up' else 'download'}",
                time_ms=ms,
                note=f"gateway RSS {baseline / MIB:.0f} MiB, peak +{growth:.1f} MiB"
                + ("" if result["sha_ok"] else " SHA256 MISMATCH"),
            )
        )
        ctx.report.goal(
            f"gateway RSS grows < {GROWTH_GOAL_MIB} MiB relaying a 50 MiB {case}load "
            f"(+{growth:.1f} MiB)",
            growth < GROWTH_GOAL_MIB and result["sha_ok"],
        )
