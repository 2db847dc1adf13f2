"""Affiliation (关联关系) between the demand owner and the solving side, URC 二(三): one pure
rule, used by intake at submit and by review at every later decision point (panel formation,
owner's choice, horse race, decision, consortium member change), since an affiliation the
bureau registers later must stop the project as surely as one known at submit.

Tests: tests/intake/test_policy.py, tests/foundation/test_affiliation.py (pure),
tests/review/test_affiliation_rechecks.py (through the gateway).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from common.policy import Violation
from common.rulesets.schema import RuleSet


@dataclass(frozen=True)
class Party:
    """An organisation and the ones it declared affiliated."""

    id: UUID
    affiliated: frozenset[UUID] = frozenset()

    @classmethod
    def of(cls, org: Mapping[str, Any]) -> "Party":
        """From an intake organisation as read over REST."""
        ids = org.get("affiliated_org_ids") or []
        return cls(UUID(str(org["id"])), frozenset(UUID(str(a)) for a in ids))


def related(a: Party, b: Party) -> bool:
    """The same organisation, or affiliated whichever side declared it."""
    return a.id == b.id or a.id in b.affiliated or b.id in a.affiliated


def affiliation_violations(
    rules: RuleSet, owner: Party, solvers: Iterable[Party]
) -> list[Violation]:
    """One violation per solving organisation related to the owner, when the city forbids it."""
    rule = rules.applications.no_affiliation_with_owner
    if rule is None:
        return []
    return [
        Violation(
            "ruleset.affiliation",
            rule.clause,
            f"Organisation {p.id} is affiliated with the demand owner",
            "揭榜方与发榜方不得存在关联关系",
        )
        for p in solvers
        if related(owner, p)
    ]
