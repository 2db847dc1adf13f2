"""OpenAPI-driven fuzzing of the merged gateway spec with schemathesis, as every role.

    python scripts/fuzz.py            a short bounded run (what `make test` runs through pytest)
    python scripts/fuzz.py --long     `make fuzz`: many more examples per operation

Starts the real processes against a fresh database, then runs schemathesis once per role with
a valid token of that role. Checks: no 5xx, responses match the declared status codes, content
types and schemas. Prints the cases tried and the failures, and exits non-zero on any failure.
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from common.auth import mint_token
from common.launch import launch
from common.settings import ROOT, Settings

SPEC = ROOT / "openapi" / "gateway.json"
ROLES = ("bureau", "demand_owner", "solver", "expert", "auditor")
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance"
)


@dataclass
class FuzzResult:
    role: str
    cases: int
    failures: int
    returncode: int
    summary: str


def _fresh_database(admin: str, name: str) -> Settings:
    from common.migrate import upgrade_all

    settings = Settings(database_url=admin, database_name=name, env="test")

    async def recreate() -> None:
        import asyncpg

        from common.bootstrap import _dsn, _quote
        from common.db import admin_url

        conn = await asyncpg.connect(_dsn(admin_url(settings).set(database="postgres")))
        try:
            await conn.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")
        finally:
            await conn.close()

    asyncio.run(recreate())
    upgrade_all(settings, name)
    return settings


def run_role(gateway_url: str, role: str, *, max_examples: int, workdir: Path) -> FuzzResult:
    token = mint_token(
        Settings(env="test"),
        sub=f"fuzz-{role}",
        role=role,
        city="huzhou",
        org_id="00000000-0000-4000-8000-000000000001",
    )
    ndjson = workdir / f"{role}.ndjson"
    cmd = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        str(SPEC),
        "--url",
        gateway_url,
        "-H",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "--max-examples",
        str(max_examples),
        "--workers",
        "2",
        "--seed",
        "20261123",
        "--no-color",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(ndjson),
        "--suppress-health-check",
        "all",
        "--request-timeout",
        "20",
        "--generation-allow-x00",
        "true",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    cases, failures = _count(ndjson)
    tail = "\n".join(proc.stdout.strip().splitlines()[-25:])
    return FuzzResult(role, cases, failures, proc.returncode, tail)


def _count(ndjson: Path) -> tuple[int, int]:
    cases = failures = 0
    if not ndjson.exists():
        return 0, 0
    for line in ndjson.read_text(encoding="utf-8").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        scenario = event.get("ScenarioFinished")
        if scenario:
            recorder = scenario.get("recorder", {})
            cases += len(recorder.get("cases", {}))
            for checks in recorder.get("checks", {}).values():
                failures += sum(1 for c in checks if c.get("status") == "FAILURE")
    return cases, failures


def fuzz(
    database_url: str, *, max_examples: int, roles: tuple[str, ...] = ROLES
) -> list[FuzzResult]:
    settings = _fresh_database(database_url, "jiebang_fuzz")
    assert settings.database_url
    with tempfile.TemporaryDirectory() as tmp:
        stack = launch(
            settings.database_url,
            extra_env={
                "JIEBANG_DATABASE_NAME": settings.database_name,
                "JIEBANG_ENV": "test",
                "JIEBANG_LOG_LEVEL": "WARNING",
            },
            log_dir=tmp,
        )
        try:
            return [
                run_role(stack.gateway_url, role, max_examples=max_examples, workdir=Path(tmp))
                for role in roles
            ]
        finally:
            stack.stop_all()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--long", action="store_true")
    parser.add_argument("--examples", type=int)
    args = parser.parse_args()
    examples = args.examples or (200 if args.long else 10)
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not url:
        from common.devdb import ensure_embedded

        url = ensure_embedded(ROOT / ".data" / "test-pg")
    results = fuzz(url, max_examples=examples)
    print(f"{'role':14} {'cases':>8} {'failures':>9}")
    for r in results:
        print(f"{r.role:14} {r.cases:>8} {r.failures:>9}")
        if r.returncode != 0:
            print(r.summary)
    total = sum(r.cases for r in results)
    failed = sum(r.failures for r in results) + sum(1 for r in results if r.returncode)
    print(f"total cases tried: {total}; failures: {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
