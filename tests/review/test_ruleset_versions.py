"""A round is judged, decided and settled under the rule-set version it was opened with
(issue #11 item 13): the city's file is replaced by a new version mid-round, the old one stays
loaded beside it as ``rulesets/<city>/<version>.yaml``, and the round under way keeps its bands
and money while a new round takes the new version."""

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from common.rulesets.registry import RuleSetRegistry
from common.settings import ROOT
from tests.conftest import Apps
from tests.review.conftest import REVIEW_TIME, Lifecycle, decide, ok

NEW = "2099.1"


@pytest.fixture
def new_version(apps: Apps, tmp_path: Path) -> Iterator[Callable[[], None]]:
    """``new_version()`` edits Urumqi's file (50 %, qualified from 90) into version 2099.1 and
    keeps 2024.33 beside it, as a restart after the edit would load them."""
    for path in (ROOT / "rulesets").glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "urumqi").mkdir()
    shutil.copy(ROOT / "rulesets" / "urumqi.yaml", tmp_path / "urumqi" / "2024.33.yaml")
    data: dict[str, Any] = yaml.safe_load((ROOT / "rulesets" / "urumqi.yaml").read_text("utf-8"))
    data["version"] = NEW
    data["funding"]["rate"] = "0.50"
    data["review"]["bands"][0]["min_total"] = "90"
    (tmp_path / "urumqi.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    registry = RuleSetRegistry.load(tmp_path)
    every = [apps.gateway, *apps.services.values()]
    before = [a.state.rulesets for a in every]

    def swap() -> None:
        for a in every:
            a.state.rulesets = registry

    yield swap
    for a, kept in zip(every, before, strict=True):
        a.state.rulesets = kept


async def test_a_round_keeps_the_version_it_was_opened_with(
    urc: Lifecycle, new_version: Callable[[], None]
) -> None:
    owner = await urc.org()
    challenge = await urc.challenge(owner)  # the round was opened under 2024.33 …
    new_version()
    rounds = urc.api
    # … and the city's file is now 2099.1: the old round still reads 2024.33
    ruleset = ok(await rounds.get("/api/v1/cities/urumqi/ruleset", headers=urc.bureau))
    assert ruleset["version"] == NEW
    old = ok(
        await rounds.get(
            "/api/v1/cities/urumqi/ruleset", params={"version": "2024.33"}, headers=urc.bureau
        )
    )
    assert old["funding"]["rate"] == "0.40"
    app = await urc.application(challenge["id"], await urc.org())
    experts = await urc.experts(3)
    panel = ok(
        await urc.panel(challenge["round_id"], "plan_review", [challenge["id"]], experts), 201
    )
    assert panel["ruleset_version"] == "2024.33"
    await urc.score_all(panel, {app: ["80"] * 3})
    ok(await urc.api.post(f"/api/v1/panels/{panel['id']}/close", headers=urc.bureau))
    cid = challenge["id"]
    chosen = ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/choice",
            headers=urc.as_("demand_owner", owner),
            json={"application_id": app},
        )
    )
    assert chosen["items"][0]["band"] == "qualified"  # 80 ≥ 60 under 2024.33 (not 90)
    ok(
        await urc.api.post(
            f"/api/v1/results/{cid}/publicity", headers={**urc.bureau, **REVIEW_TIME}
        )
    )
    project = ok(await decide(urc, cid, app), 201)["project_id"]
    read = ok(await urc.api.get(f"/api/v1/projects/{project}", headers=urc.bureau))
    assert read["ruleset_version"] == "2024.33"
    plan = ok(await urc.api.get(f"/api/v1/funding/{project}", headers=urc.as_("auditor")))
    assert (plan["ruleset_version"], plan["subsidy_cap"]) == ("2024.33", "3200000.00")  # 40 %

    new_round = ok(
        await urc.api.post(
            "/api/v1/rounds",
            headers=urc.bureau,
            json={
                "title": "next round",
                "fields_open": ["biomedicine"],
                "collection_opens_at": "2026-03-01T09:00:00+08:00",
                "collection_closes_at": "2026-04-01T09:00:00+08:00",
                "publication_opens_at": "2026-04-02T09:00:00+08:00",
                "publication_closes_at": "2026-05-02T09:00:00+08:00",
            },
        ),
        201,
    )
    assert new_round["ruleset_version"] == NEW
