"""OpenAPI-driven fuzzing of the merged gateway spec with schemathesis, as every role.

    python scripts/fuzz.py                  a short bounded run
    python scripts/fuzz.py --long           `make fuzz`: many more examples per operation
    python scripts/fuzz.py --examples 5 --roles bureau,solver

Starts the real processes against a fresh database, then runs schemathesis once per role with
a valid token of that role (all phases: examples, coverage, fuzzing, stateful). Checks: no 5xx,
responses match the declared status codes, content types and schemas. The cases tried and the
failures are counted from schemathesis' NDJSON event stream (one ``ScenarioFinished`` event per
scenario, its ``recorder`` holding the cases and each case's check results), so the counts do not
depend on the console output. Exits non-zero on any failure.
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from common.auth import mint_token
from common.launch import launch
from common.settings import ROOT, Settings
from tests.memberships import LIVE_DATABASES, register_live

SPEC = ROOT / "openapi" / "gateway.json"
ROLES = ("bureau", "demand_owner", "solver", "expert", "auditor")
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance"
)
# Identities the tokens carry: an expert's ``sub`` is its pool id, owners act for an org.
EXPERT_ID = "00000000-0000-4000-8000-0000000000e1"
ORG_ID = "00000000-0000-4000-8000-000000000001"


@dataclass
class FuzzResult:
    role: str
    cases: int
    failures: int
    returncode: int
    summary: str
    kinds: Counter[tuple[str, str, int | None]] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return self.failures == 0 and self.returncode == 0 and self.cases > 0


def _fresh_database(admin: str, name: str) -> Settings:
    from common.migrate import upgrade_all

    settings = Settings(database_url=admin, database_name=name, env="test")
    asyncio.run(_drop_database(settings, name))
    upgrade_all(settings, name)
    return settings


async def _drop_database(settings: Settings, name: str) -> None:
    import asyncpg

    from common.bootstrap import _dsn, _quote
    from common.db import admin_url

    conn = await asyncpg.connect(_dsn(admin_url(settings).set(database="postgres")))
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")
    finally:
        await conn.close()


def role_token(role: str) -> str:
    return mint_token(
        Settings(env="test"),
        sub=EXPERT_ID if role == "expert" else f"fuzz-{role}",
        role=role,
        city="huzhou",
        org_id=ORG_ID,
    )


def run_role(
    gateway_url: str,
    role: str,
    *,
    max_examples: int,
    workdir: Path,
    phases: str | None = None,
    workers: int = 2,
) -> FuzzResult:
    ndjson = workdir / f"{role}.ndjson"
    cmd = [
        *(sys.executable, "-m", "schemathesis.cli", "run", str(SPEC), "--url", gateway_url),
        *("-H", f"Authorization: Bearer {role_token(role)}", "--checks", CHECKS),
        *("--max-examples", str(max_examples), "--workers", str(workers)),
        *("--seed", "20261123", "--no-color", "--suppress-health-check", "all"),
        *("--report", "ndjson", "--report-ndjson-path", str(ndjson)),
        *("--request-timeout", "20", "--generation-database", "none"),
        *(("--phases", phases) if phases else ()),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    cases, kinds = count_events(ndjson)
    tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-30:])
    return FuzzResult(role, cases, sum(kinds.values()), proc.returncode, tail, kinds)


def count_events(ndjson: Path) -> tuple[int, Counter[tuple[str, str, int | None]]]:
    """Cases generated and failed checks, keyed by (operation, check, status answered)."""
    cases = 0
    kinds: Counter[tuple[str, str, int | None]] = Counter()
    if not ndjson.exists():
        return 0, kinds
    for line in ndjson.read_text(encoding="utf-8").splitlines():
        try:
            scenario = json.loads(line).get("ScenarioFinished")
        except ValueError:
            continue
        if not scenario:
            continue
        recorder = scenario.get("recorder", {})
        cases += len(recorder.get("cases", {}))
        for case_id, checks in recorder.get("checks", {}).items():
            response = (recorder.get("interactions", {}).get(case_id) or {}).get("response")
            status = (response or {}).get("status_code")
            for check in checks:
                if str(check.get("status", "")).lower() != "success":
                    kinds[(recorder.get("label", "?"), check.get("name", "?"), status)] += 1
    return cases, kinds


def fuzz(
    database_url: str,
    *,
    max_examples: int,
    roles: tuple[str, ...] = ROLES,
    phases: str | None = None,
) -> list[FuzzResult]:
    """A fresh database of its own (unique name: runs in parallel never collide)."""
    name = f"jiebang_fuzz_{uuid.uuid4().hex[:8]}"
    settings = _fresh_database(database_url, name)
    assert settings.database_url
    try:
        with tempfile.TemporaryDirectory() as tmp:
            stack = launch(
                settings.database_url,
                extra_env={
                    "JIEBANG_DATABASE_NAME": name,
                    "JIEBANG_ENV": "test",
                    "JIEBANG_LOG_LEVEL": "WARNING",
                },
                log_dir=tmp,
            )
            LIVE_DATABASES.append(settings)  # the owner's and solver's memberships of ORG_ID
            for role in ("demand_owner", "solver"):
                register_live("huzhou", f"fuzz-{role}", role, ORG_ID)
            try:
                return [
                    run_role(
                        stack.gateway_url,
                        role,
                        max_examples=max_examples,
                        workdir=Path(tmp),
                        phases=phases,
                    )
                    for role in roles
                ]
            finally:
                LIVE_DATABASES.remove(settings)
                stack.stop_all()
    finally:
        asyncio.run(_drop_database(settings, name))


def report(results: list[FuzzResult]) -> str:
    lines = [f"{'role':14} {'cases':>8} {'failures':>9}"]
    for r in results:
        lines.append(f"{r.role:14} {r.cases:>8} {r.failures:>9}")
        for (operation, check, status), n in sorted(r.kinds.items()):
            lines.append(f"    {n:>4} × {check} on {operation} (answered {status})")
        if r.returncode != 0 and not r.kinds:
            lines.append(r.summary)
    total = sum(r.cases for r in results)
    failed = sum(r.failures for r in results)
    lines.append(f"total cases tried: {total}; failures: {failed}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--long", action="store_true")
    parser.add_argument("--examples", type=int)
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--phases", help="e.g. examples,coverage,fuzzing,stateful (all)")
    args = parser.parse_args()
    examples = args.examples or (100 if args.long else 5)
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not url:
        from common.devdb import ensure_embedded

        url = ensure_embedded(ROOT / ".data" / "test-pg")
    roles = tuple(r for r in args.roles.split(",") if r)
    results = fuzz(url, max_examples=examples, roles=roles, phases=args.phases)
    print(report(results))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
