"""Rule sets are configuration: both cities load, a broken file is refused by key, and a new
city is only a new file."""

import shutil
from pathlib import Path

import httpx
import pytest
import yaml

from common.rulesets.registry import RuleSetError, RuleSetRegistry, load_file
from common.settings import ROOT, Settings
from gateway.app import create_app

RULESETS = ROOT / "rulesets"


def test_both_city_files_load() -> None:
    registry = RuleSetRegistry.load(RULESETS)
    assert {r.city for r in registry.cities()} >= {"urumqi", "huzhou"}
    urumqi, huzhou = registry.get("urumqi"), registry.get("huzhou")
    assert urumqi.demands.min_total_investment is not None
    assert str(urumqi.demands.min_total_investment.value) == "5000000.00"
    assert urumqi.demands.min_total_investment.clause == "URC 二(一)"
    assert huzhou.applications.lead_rd_ratio_min is not None
    assert huzhou.applications.lead_rd_ratio_min.clause == "HZ 三(三)1"
    assert [s.weight for s in huzhou.review.stages] == [s.weight for s in huzhou.review.stages]


def _write(tmp: Path, name: str, data: dict) -> Path:
    path = tmp / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _huzhou() -> dict:
    return yaml.safe_load((RULESETS / "huzhou.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("mutate", "key"),
    [
        (lambda d: d["funding"].pop("rate"), "funding.rate"),
        (lambda d: d["funding"].update(rate="0.25x"), "funding.rate"),
        (lambda d: d["review"]["stages"][0].update(weight="0.7"), "review"),
        (lambda d: d["funding"]["settlement"]["factors"].pop("failed"), "factors"),
        (lambda d: d.update(timezone="Mars/Olympus"), "timezone"),
        (lambda d: d["review"]["panel"].update(min_sise={"value": 5}), "min_sise"),
        (lambda d: d.update(city="ningbo"), "city"),
    ],
)
def test_broken_file_is_refused_naming_the_key(tmp_path: Path, mutate, key: str) -> None:
    data = _huzhou()
    mutate(data)
    path = _write(tmp_path, "huzhou", data)
    with pytest.raises(RuleSetError) as err:
        load_file(path)
    assert "huzhou.yaml" in str(err.value)
    assert key in str(err.value)


def test_invalid_yaml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("city: [unclosed", encoding="utf-8")
    with pytest.raises(RuleSetError, match=r"x\.yaml"):
        RuleSetRegistry.load(tmp_path)


async def test_a_third_city_loads_without_code_changes(tmp_path: Path, auth) -> None:
    for path in RULESETS.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    data = _huzhou()
    data.update(city="testville", name="Testville", name_zh="测试市", version="t-1")
    data["funding"]["rate"] = "0.33"
    _write(tmp_path, "testville", data)
    app = create_app(Settings(env="test", rulesets_dir=tmp_path))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        listed = await client.get("/api/v1/cities", headers=auth("bureau", city="testville"))
        full = await client.get(
            "/api/v1/cities/testville/ruleset", headers=auth("bureau", city="testville")
        )
    assert "testville" in {c["city"] for c in listed.json()["items"]}
    assert full.json()["funding"]["rate"] == "0.33"
