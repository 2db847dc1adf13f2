"""Finance applies the rule-set version a project's round was opened with (issue #11 item 13):
the plan is computed under the version review sends, and its payments and settlement under the
version the plan carries, whatever the city's current file says.

Tests: tests/review/test_ruleset_versions.py, tests/finance/test_funding.py.
"""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from common.rulesets.registry import RuleSetRegistry
from common.rulesets.schema import RuleSet
from services.finance.funding import repository


async def plan_rules(
    session: AsyncSession, registry: RuleSetRegistry, city: str, project_id: UUID
) -> RuleSet:
    version = await repository.version_of(session, city, project_id)
    return registry.version(city, version) if version else registry.get(city)
