"""Loads every city's rule-set files at start-up and refuses to start on a broken one.

``rulesets/<city>.yaml`` is the city's current version: new rounds are opened under it.
Earlier (or later) versions sit beside it as ``rulesets/<city>/<version>.yaml`` and stay
loaded, so a round is judged, decided and settled under the version it was opened with
(``RuleSetRegistry.version``), whatever the current file says now.

Tests: tests/foundation/test_ruleset_versions.py.
"""

from pathlib import Path

import yaml
from pydantic import ValidationError

from common.errors import NotFound
from common.rulesets.schema import RuleSet


class RuleSetError(ValueError):
    """A rule-set file is broken; the message names the file and the key."""


def load_file(path: Path, city: str | None = None) -> RuleSet:
    """One file; ``city`` is the folder's name for a versioned file (whose stem is then its
    version), else the file's stem is the city."""
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
    if ruleset.city != (city or path.stem):
        raise RuleSetError(f"{path.name}: city: {ruleset.city!r} must match the file name")
    if city is not None and ruleset.version != path.stem:
        raise RuleSetError(
            f"{city}/{path.name}: version: {ruleset.version!r} must match the file name"
        )
    return ruleset


class RuleSetRegistry:
    def __init__(
        self,
        rulesets: dict[str, RuleSet],
        versions: dict[str, dict[str, RuleSet]] | None = None,
    ) -> None:
        self._by_city = dict(sorted(rulesets.items()))
        self._versions: dict[str, dict[str, RuleSet]] = {
            city: {**(versions or {}).get(city, {}), current.version: current}
            for city, current in self._by_city.items()
        }

    @classmethod
    def load(cls, *directories: Path) -> "RuleSetRegistry":
        found: dict[str, RuleSet] = {}
        versions: dict[str, dict[str, RuleSet]] = {}
        for directory in directories:
            for path in sorted(directory.glob("*.yaml")):
                ruleset = load_file(path)
                found[ruleset.city] = ruleset
            for folder in sorted(p for p in directory.iterdir() if p.is_dir()):
                for path in sorted(folder.glob("*.yaml")):
                    ruleset = load_file(path, city=folder.name)
                    versions.setdefault(folder.name, {})[ruleset.version] = ruleset
        if not found:
            raise RuleSetError(f"no rule-set files (*.yaml) in {', '.join(map(str, directories))}")
        orphans = sorted(set(versions) - set(found))
        if orphans:
            raise RuleSetError(
                f"{orphans[0]}/: versions of a city with no current {orphans[0]}.yaml"
            )
        for city, by_version in versions.items():
            if found[city].version in by_version:
                raise RuleSetError(
                    f"{city}/{found[city].version}.yaml: the same version as {city}.yaml"
                )
        return cls(found, versions)

    def get(self, city: str) -> RuleSet:
        """The city's current version (for new rounds)."""
        try:
            return self._by_city[city]
        except KeyError:
            raise NotFound(f"No rule set for city '{city}'", code="city.unknown") from None

    def version(self, city: str, version: str) -> RuleSet:
        """The version a round was opened with."""
        self.get(city)
        try:
            return self._versions[city][version]
        except KeyError:
            raise NotFound(
                f"Rule set version {version!r} of city '{city}' is not loaded",
                code="ruleset.version_unknown",
            ) from None

    def versions(self, city: str) -> list[str]:
        self.get(city)
        return sorted(self._versions[city])

    def cities(self) -> list[RuleSet]:
        return list(self._by_city.values())
