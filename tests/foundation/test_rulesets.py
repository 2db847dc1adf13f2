"""Rule sets are configuration: both cities load, a broken file is refused by key, and a new
city is only a new file."""

import shutil
from collections.abc import Callable
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


def _tranches(*shares: str) -> Callable[[dict], None]:
    def mutate(d: dict) -> None:
        d["funding"]["tranches"] = [
            {
                "seq": i,
                "share": s,
                "due": "approval" if i == 1 else "acceptance",
                "clause": "HZ 三(六)",
            }
            for i, s in enumerate(shares, start=1)
        ]

    return mutate


@pytest.mark.parametrize(
    ("mutate", "key"),
    [
        (_tranches("0.30", "0.60"), "funding.tranches"),  # 0.9: the plan would cover 90 %
        (_tranches("0.30", "0.80"), "funding.tranches"),  # 1.1
        (
            lambda d: d["review"]["county_relaxation"]["counties"].append("ningbo"),
            "review.county_relaxation.counties",
        ),
        (
            lambda d: d["demands"]["required_fields"].append("end_user"),  # misspelt
            "demands.required_fields",
        ),
        (
            lambda d: d["applications"]["solver_form"]["lead_kinds"].append("hospital"),
            "applications.solver_form.lead_kinds",
        ),
        (lambda d: d["funding"].update(excluded=["land_value"]), "funding.excluded"),
        (lambda d: d["clauses"].pop("HZ 三(四)5"), "procedure.steps.2.clause"),
        (lambda d: d.pop("clauses"), "clauses"),
        (lambda d: d["vetting"]["criteria_zh"].pop("necessity"), "vetting.criteria_zh"),
        (lambda d: d["procedure"]["steps"].pop(0), "procedure.steps"),
        (lambda d: d["procedure"].pop("joint_review"), "procedure.joint_review"),
        (
            lambda d: d["procedure"]["joint_review"]["checks"].update(audit={"clause": "x"}),
            "procedure.joint_review.checks",
        ),
        (lambda d: d["funding"].update(cap_max={"value": "-1", "clause": "HZ 二"}), "cap_max"),
        (lambda d: d["funding"]["tranches"][0].update(due="signing"), "funding.tranches.0.due"),
    ],
)
def test_a_rule_that_could_never_apply_is_refused_at_load(tmp_path: Path, mutate, key: str) -> None:
    data = _huzhou()
    mutate(data)
    with pytest.raises(RuleSetError) as err:
        load_file(_write(tmp_path, "huzhou", data))
    assert "huzhou.yaml" in str(err.value) and key in str(err.value), str(err.value)


def test_every_clause_is_quoted_and_the_texts_words_are_served() -> None:
    """Each clause either file cites has the policy text's Chinese words; band names are the
    text's own (HZ 三(四)3); silent values cite 'silent', not a clause that says otherwise."""
    registry = RuleSetRegistry.load(RULESETS)
    huzhou, urumqi = registry.get("huzhou"), registry.get("urumqi")
    assert [b.name_zh for b in huzhou.review.bands] == [
        "优先推荐立项",
        "推荐立项",
        "可选立项",
        "淘汰落选",
    ]
    assert "三县项目可放宽至75分" in (huzhou.quote("HZ 三(四)3") or "")
    assert "经决策后向社会公示" in (huzhou.quote(huzhou.review.publicity_days.clause) or "")
    assert huzhou.review.rounding.clause == urumqi.review.rounding.clause == "silent"
    assert urumqi.funding.four_eyes_clause == "silent"
    assert "业主责任书" in (urumqi.quote("URC 三(四)") or "")
    assert huzhou.applications.pi_employed_by_lead is not None
    assert huzhou.applications.pi_employed_by_lead.clause == "HZ 三(三)2"
    assert huzhou.applications.no_other_municipal is not None
    assert huzhou.applications.no_other_municipal.clause == "HZ 三(三)3"


async def test_the_ruleset_endpoint_serves_the_clause_texts(api: httpx.AsyncClient, auth) -> None:
    served = await api.get("/api/v1/cities/huzhou/ruleset", headers=auth("solver"))
    assert served.status_code == 200
    body = served.json()
    assert body["clauses"]["HZ 三(五)"].startswith("对拟立项的揭榜项目经决策后向社会公示")
    assert [s["code"] for s in body["procedure"]["steps"]][:4] == [
        "expert_review",
        "joint_review",
        "decision_meeting",
        "publicity",
    ]
