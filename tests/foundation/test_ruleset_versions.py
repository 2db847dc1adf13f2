"""Several versions of a city's rules load side by side (common.rulesets.registry)."""

import shutil
from pathlib import Path

import pytest

from common.errors import NotFound
from common.rulesets.registry import RuleSetError, RuleSetRegistry
from common.settings import ROOT

SOURCE = ROOT / "rulesets"


def _copy(tmp: Path) -> None:
    for path in SOURCE.glob("*.yaml"):
        shutil.copy(path, tmp / path.name)


def test_the_current_file_and_earlier_versions_load_side_by_side(tmp_path: Path) -> None:
    _copy(tmp_path)
    (tmp_path / "urumqi").mkdir()
    text = (SOURCE / "urumqi.yaml").read_text("utf-8").replace('"2024.33"', '"2023.1"')
    (tmp_path / "urumqi" / "2023.1.yaml").write_text(text, "utf-8")
    registry = RuleSetRegistry.load(tmp_path)
    assert registry.get("urumqi").version == "2024.33"
    assert registry.version("urumqi", "2023.1").version == "2023.1"
    assert registry.version("urumqi", "2024.33") is registry.get("urumqi")
    assert registry.versions("urumqi") == ["2023.1", "2024.33"]
    with pytest.raises(NotFound) as unknown:
        registry.version("urumqi", "1999")
    assert unknown.value.code == "ruleset.version_unknown"


@pytest.mark.parametrize(
    ("name", "version", "problem"),
    [
        ("2023.1.yaml", "2023.2", "must match the file name"),
        ("2024.33.yaml", "2024.33", "the same version as urumqi.yaml"),
    ],
)
def test_a_misnamed_or_duplicate_version_stops_the_start(
    tmp_path: Path, name: str, version: str, problem: str
) -> None:
    _copy(tmp_path)
    (tmp_path / "urumqi").mkdir()
    text = (SOURCE / "urumqi.yaml").read_text("utf-8").replace('"2024.33"', f'"{version}"')
    (tmp_path / "urumqi" / name).write_text(text, "utf-8")
    with pytest.raises(RuleSetError, match=problem):
        RuleSetRegistry.load(tmp_path)
