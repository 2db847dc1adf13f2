"""Intake applies the rule-set version a round was opened with (issue #11 item 13): demands and
answers of a round under way are checked under its version, whatever the city's current file
says; only a new round takes the current one (services.intake.rounds.service).

Tests: tests/review/test_ruleset_versions.py.
"""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from common.rulesets.registry import RuleSetRegistry
from common.rulesets.schema import RuleSet
from services.intake.rounds import repository as rounds


async def round_rules(
    session: AsyncSession, registry: RuleSetRegistry, city: str, round_id: UUID
) -> RuleSet:
    """The round's version; the current one for a round that does not exist (refused later)."""
    found = await rounds.get(session, city, round_id)
    return registry.version(city, found.ruleset_version) if found else registry.get(city)
