"""Which rule-set version applies to a review step: the one the round was opened with, never
the file loaded now (issue #11 item 13). Panels are formed under the round's version and carry
it; everything after them (results, choice, horse race, publicity, decision) reads it from the
challenge's panels; a project carries it to its changes, acceptance and funding plan.

Tests: tests/review/test_ruleset_versions.py.
"""

from typing import Annotated
from uuid import UUID

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from common.db import SessionDep
from common.deps import CurrentUser, RegistryDep
from common.rulesets.registry import RuleSetRegistry
from common.rulesets.schema import RuleSet
from services.review.panels import repository as panels
from services.review.projects.dependencies import VisibleProject


async def challenge_rules(
    session: AsyncSession, registry: RuleSetRegistry, city: str, challenge_id: UUID
) -> RuleSet:
    version = await panels.round_version(session, city, challenge_id)
    return registry.version(city, version) if version else registry.get(city)


async def _challenge_rules(
    challenge_id: UUID, user: CurrentUser, registry: RegistryDep, session: SessionDep
) -> RuleSet:
    return await challenge_rules(session, registry, user.city, challenge_id)


def _project_rules(project: VisibleProject, registry: RegistryDep) -> RuleSet:
    return registry.version(project.city, project.ruleset_version)


ChallengeRuleSet = Annotated[RuleSet, Depends(_challenge_rules)]
ProjectRuleSet = Annotated[RuleSet, Depends(_project_rules)]
