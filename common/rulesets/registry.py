"""Loads every city's rule-set file at start-up and refuses to start on a broken one."""

from pathlib import Path

import yaml
from pydantic import ValidationError

from common.errors import NotFound
from common.rulesets.schema import RuleSet


class RuleSetError(ValueError):
    """A rule-set file is broken; the message names the file and the key."""


def load_file(path: Path) -> RuleSet:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleSetError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RuleSetError(f"{path.name}: the top level must be a mapping")
    try:
        ruleset = RuleSet.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise RuleSetError(f"{path.name}: {problems}") from exc
    if ruleset.city != path.stem:
        raise RuleSetError(f"{path.name}: city: {ruleset.city!r} must match the file name")
    return ruleset


class RuleSetRegistry:
    def __init__(self, rulesets: dict[str, RuleSet]) -> None:
        self._by_city = dict(sorted(rulesets.items()))

    @classmethod
    def load(cls, *directories: Path) -> "RuleSetRegistry":
        found: dict[str, RuleSet] = {}
        for directory in directories:
            for path in sorted(directory.glob("*.yaml")):
                ruleset = load_file(path)
                found[ruleset.city] = ruleset
        if not found:
            raise RuleSetError(f"no rule-set files (*.yaml) in {', '.join(map(str, directories))}")
        return cls(found)

    def get(self, city: str) -> RuleSet:
        try:
            return self._by_city[city]
        except KeyError:
            raise NotFound(f"No rule set for city '{city}'", code="city.unknown") from None

    def cities(self) -> list[RuleSet]:
        return list(self._by_city.values())
