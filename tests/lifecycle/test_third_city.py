"""A third city that lives only in this test's folder (cities/jiaxing.yaml) runs a full
lifecycle through the gateway with no code change: three stages with panels of 3, 5 and 7,
publicity after the director meeting, three tranches with one released by the mid-term
check, and an absolute ceiling on the subsidy — to the fen. The story is the one ``make demo``
derives from any city's rule set (scripts/any_city.py)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from common.rulesets.registry import RuleSetRegistry
from common.settings import ROOT
from scripts.scenario import run_city

CITIES = Path(__file__).parent / "cities"


@pytest.fixture
def with_jiaxing(apps: Any) -> Iterator[None]:
    """Every process of the in-process stack loads the shipped files and the test's city."""
    registry = RuleSetRegistry.load(ROOT / "rulesets", CITIES)
    every = [apps.gateway, *apps.services.values()]
    saved = [app.state.rulesets for app in every]
    for app in every:
        app.state.rulesets = registry
    yield
    for app, before in zip(every, saved, strict=True):
        app.state.rulesets = before


async def test_a_city_only_in_a_file_runs_from_round_to_settlement(
    with_jiaxing: None, api: httpx.AsyncClient
) -> None:
    s = await run_city(api, "jiaxing")
    # cap = min(25 % × 20,000,000.00, applied 6,000,000.00, ceiling 3,000,000.00)
    assert s.amounts["winner:subsidy_cap"] == "3000000.00"
    assert [s.amounts[f"winner:t{i}"] for i in (1, 2, 3)] == [
        "900000.00",
        "900000.00",
        "1200000.00",
    ]
    # the mid-term tranche waited for the mid-term check, then was paid
    assert s.history["tranche:winner:2"] == ["planned", "due", "paid"]
    assert s.history["tranche:winner:1"][-1] == s.history["tranche:winner:3"][-1] == "paid"
    assert s.amounts["winner:recomputed"] == "3000000.00"
    assert s.amounts["winner:remaining"] == "1200000.00"
    assert s.subsidy_paid == 3000000 and str(s.subsidy_paid) == "3000000.00"
    # the procedure in the file's order: joint review, meeting (拟立项), then publicity
    assert s.history["proposal:winner"] == ["joint_review_passed", "proposed"]
    assert s.history["results:main"][-1] == "public"
    assert s.bands == {"winner": "key", "runner_up": "eliminated"}
    assert s.history["contract:winner"] == ["signed"]


async def test_the_third_citys_panels_follow_each_stage_size(
    with_jiaxing: None, api: httpx.AsyncClient, auth: Any
) -> None:
    """Seven experts for the on-site visit; five (enough for the meeting review) is refused,
    citing the stage's own rule (under the version the round was opened with)."""
    bureau = auth("bureau", city="jiaxing")
    round_ = await api.post(
        "/api/v1/rounds",
        json={
            "title": "JX stage sizes",
            "fields_open": ["digital_economy"],
            "collection_opens_at": "2025-03-01T09:00:00+08:00",
            "collection_closes_at": "2025-04-01T09:00:00+08:00",
            "publication_opens_at": "2025-04-02T09:00:00+08:00",
            "publication_closes_at": "2025-05-02T09:00:00+08:00",
        },
        headers={**bureau, "X-Clock-Now": "2025-03-01T09:00:00+08:00"},
    )
    assert round_.status_code == 201, round_.text
    body = {
        "round_id": round_.json()["id"],
        "stage": "onsite_visit",
        "challenge_ids": ["00000000-0000-0000-0000-000000000001"],
        "expert_ids": [f"00000000-0000-0000-0000-00000000001{i}" for i in range(5)],
    }
    refused = await api.post("/api/v1/panels", json=body, headers=bureau)
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "panel.too_small" and refused.json()["clause"] == "JX 二(四)"
    assert "至少 7 人" in refused.json()["detail_zh"]
