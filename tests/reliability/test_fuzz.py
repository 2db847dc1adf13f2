"""A small bounded schemathesis run against the real processes (``make fuzz`` runs the long
one): zero 5xx and zero spec violations, over a non-zero number of generated cases."""

import json
from pathlib import Path

import pytest

from scripts.fuzz import count_events, fuzz
from tests.conftest import _admin_url
from tests.reliability.conftest import record_counts

ROLES = ("bureau", "solver")
EXAMPLES = 3
PHASES = "examples,fuzzing,stateful"


@pytest.mark.e2e
def test_bounded_fuzz_finds_no_server_error_and_no_spec_violation() -> None:
    results = fuzz(_admin_url(), max_examples=EXAMPLES, roles=ROLES, phases=PHASES)
    for result in results:
        assert result.cases > 0, result.summary
        assert result.failures == 0, dict(result.kinds)
        assert result.returncode == 0, result.summary
    record_counts(
        "fuzz_bounded",
        command=f"python scripts/fuzz.py --examples {EXAMPLES} --roles {','.join(ROLES)}"
        f" --phases {PHASES}",
        cases={r.role: r.cases for r in results},
        failures=sum(r.failures for r in results),
    )


def test_the_counter_reads_failed_checks_from_the_event_stream(tmp_path: Path) -> None:
    """schemathesis 4 writes check statuses in lower case; a counter that missed them would
    report zero failures for a failing run."""
    checks = {
        "a": [{"name": "not_a_server_error", "status": "failure"}],
        "b": [{"name": "not_a_server_error", "status": "success"}],
    }
    scenario = {
        "label": "GET /api/v1/rounds/{round_id}",
        "cases": {"a": {}, "b": {}},
        "checks": checks,
        "interactions": {"a": {"response": {"status_code": 500}}},
    }
    events = [{"Initialize": {}}, {"ScenarioFinished": {"recorder": scenario}}]
    ndjson = tmp_path / "run.ndjson"
    ndjson.write_text("\n".join(json.dumps(e) for e in events))
    cases, kinds = count_events(ndjson)
    assert cases == 2
    assert kinds == {("GET /api/v1/rounds/{round_id}", "not_a_server_error", 500): 1}
