"""Registering and correcting organisations (bureau)."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from common.audit import record
from common.auth import Claims
from common.errors import Conflict, Unprocessable
from common.rulesets.schema import RuleSet
from services.intake.db import AuditLog
from services.intake.organizations import repository
from services.intake.organizations.models import Organization
from services.intake.organizations.schemas import OrganizationCreate, OrganizationUpdate


def _check_county(county: str | None, ruleset: RuleSet) -> None:
    """When the rule set lists counties (HZ 三(四)3 relaxes some), only those codes are valid."""
    if county is not None and ruleset.counties and county not in ruleset.counties:
        raise Unprocessable(
            f"Unknown county '{county}'; one of: {', '.join(ruleset.counties)}",
            code="organization.unknown_county",
        )


async def _check_affiliates(
    session: AsyncSession, city: str, ids: list[UUID], self_id: UUID | None
) -> set[UUID]:
    wanted = set(ids) - ({self_id} if self_id else set())
    found = await repository.get_many(session, city, wanted)
    missing = wanted - found.keys()
    if missing:
        raise Unprocessable(
            f"Unknown affiliated organisations: {', '.join(sorted(map(str, missing)))}",
            code="organization.unknown_affiliate",
        )
    return wanted


async def create(
    session: AsyncSession, user: Claims, ruleset: RuleSet, data: OrganizationCreate
) -> Organization:
    _check_county(data.county, ruleset)
    if await repository.by_credit_code(session, user.city, data.credit_code):
        raise Conflict(
            "An organisation with this credit code is already registered",
            code="organization.duplicate_credit_code",
        )
    affiliates = await _check_affiliates(session, user.city, data.affiliated_org_ids, None)
    org = Organization(
        **data.model_dump(exclude={"affiliated_org_ids"}),
        city=user.city,
        affiliated_org_ids=sorted(affiliates),
        created_by=user.sub,
    )
    session.add(org)
    await session.flush()
    await repository.link(session, user.city, org.id, affiliates)
    record(
        session,
        AuditLog,
        user,
        entity="organization",
        entity_id=org.id,
        action="create",
        to_state="registered",
        data={"credit_code": org.credit_code},
    )
    return org


async def update(
    session: AsyncSession,
    user: Claims,
    ruleset: RuleSet,
    org: Organization,
    data: OrganizationUpdate,
) -> Organization:
    changes = data.model_dump(exclude_unset=True, exclude={"affiliated_org_ids"})
    if "county" in changes:
        _check_county(changes["county"], ruleset)
    for key, value in changes.items():
        if value is None and key in ("name", "over_quota"):
            raise Unprocessable(f"{key} cannot be null", code="organization.null_field")
        setattr(org, key, value)
    if data.affiliated_org_ids is not None:
        wanted = await _check_affiliates(session, user.city, data.affiliated_org_ids, org.id)
        before = set(org.affiliated_org_ids)
        await repository.unlink(session, user.city, org.id, before - wanted)
        await repository.link(session, user.city, org.id, wanted - before)
        org.affiliated_org_ids = sorted(wanted)
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="organization",
        entity_id=org.id,
        action="update",
        data=data.model_dump(mode="json", exclude_unset=True),
    )
    return org
