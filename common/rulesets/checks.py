"""Load-time cross-checks of a rule set: a rule naming something that does not exist would
load and silently never apply, so each is refused with its key named.

Checked: every relaxation county is in ``counties``; required demand fields, lead kinds and
excluded money facts are ones the platform knows (``common.rulesets.vocabulary``); the county
achievement-transfer category exists; every clause the file
cites has its words in ``clauses``.
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from common.rulesets.vocabulary import DEMAND_FIELDS, MONEY_FACTS, OPINION_ISSUERS, ORG_KINDS

if TYPE_CHECKING:
    from common.rulesets.schema import RuleSet


def _unknown(key: str, given: list[str], known: set[str] | dict[str, Any]) -> list[str]:
    bad = [g for g in given if g not in known]
    if not bad:
        return []
    return [f"{key}: {', '.join(repr(b) for b in bad)} not one of {', '.join(sorted(known))}"]


def cited_clauses(data: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (key, clause) the file cites: values of ``clause`` and ``*_clause`` keys."""
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{path}.{key}" if path else str(key)
            if isinstance(value, str) and (key == "clause" or str(key).endswith("_clause")):
                yield here, value
            else:
                yield from cited_clauses(value, here)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from cited_clauses(value, f"{path}.{i}")


def cross_check(rules: "RuleSet") -> list[str]:
    problems: list[str] = []
    relax = rules.review.county_relaxation
    if relax:
        problems += _unknown(
            "review.county_relaxation.counties", relax.counties, set(rules.counties)
        )
    problems += _unknown("demands.required_fields", rules.demands.required_fields, DEMAND_FIELDS)
    kinds = rules.applications.solver_form.lead_kinds
    if kinds is not None:
        problems += _unknown("applications.solver_form.lead_kinds", kinds, ORG_KINDS)
    problems += _unknown("funding.excluded", rules.funding.excluded, MONEY_FACTS)
    transfer = rules.demands.achievement_transfer
    if transfer:
        problems += _unknown(
            "demands.achievement_transfer.opinion_issuer_kinds",
            transfer.opinion_issuer_kinds,
            OPINION_ISSUERS,
        )
        problems += _unknown(
            "demands.achievement_transfer.category",
            [transfer.category],
            {c.code for c in rules.categories},
        )
    if not rules.clauses:
        problems.append("clauses: give the policy text's words for every clause the file cites")
    else:
        dump = rules.model_dump(mode="json", exclude={"clauses"})
        problems += [
            f"{key}: clause {clause!r} has no words in clauses"
            for key, clause in cited_clauses(dump)
            if clause not in rules.clauses
        ]
    return problems
