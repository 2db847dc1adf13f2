"""Answering a challenge (揭榜): draft, submit with eligibility checks, withdraw."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from common import clock
from common.audit import record
from common.auth import Claims
from common.errors import Conflict, Forbidden, Unprocessable
from common.policy import Violation, enforce
from common.rulesets.schema import RuleSet
from services.intake import drafts
from services.intake.access import local_time, require_org
from services.intake.applications import policy, repository
from services.intake.applications.models import DRAFT, SUBMITTED, WITHDRAWN, Application
from services.intake.applications.schemas import ApplicationCreate, ApplicationUpdate
from services.intake.challenges.models import Challenge
from services.intake.db import AuditLog
from services.intake.documents import service as documents
from services.intake.organizations import repository as organizations
from services.intake.organizations.models import Organization


def _before_deadline(challenge: Challenge, ruleset: RuleSet) -> None:
    """Answers are made, changed and withdrawn only while the window is open and before the
    results are public: review starts after the window closes, and a withdrawal after the
    results would leave a winner without an application (README: Integrity)."""
    if challenge.results_public:
        raise Conflict(
            "The results of this challenge are public; its applications are final",
            code="application.results_public",
        )
    closes = challenge.publication_closes_at
    if clock.now() >= closes:
        raise Conflict(
            f"Applications closed at {local_time(closes, ruleset.timezone)}",
            code="application.deadline_passed",
        )


async def _check_members(
    session: AsyncSession, city: str, lead: UUID, members: list[UUID]
) -> list[UUID]:
    wanted = list(dict.fromkeys(m for m in members if m != lead))
    missing = set(wanted) - (await organizations.get_many(session, city, wanted)).keys()
    if missing:
        raise Unprocessable(
            f"Unknown member organisations: {', '.join(sorted(map(str, missing)))}",
            code="application.unknown_member",
        )
    return wanted


async def create(
    session: AsyncSession,
    user: Claims,
    ruleset: RuleSet,
    challenge: Challenge,
    data: ApplicationCreate,
) -> Application:
    org_id = require_org(user)
    lead = data.lead_org_id or org_id
    if lead != org_id:
        raise Forbidden(
            "A solver applies with its own organisation as lead", code="application.not_own_lead"
        )
    lead_org = await organizations.get(session, user.city, lead)
    if lead_org is None:
        raise Unprocessable("Your organisation is not registered", code="organization.unknown")
    _before_deadline(challenge, ruleset)
    if await repository.active_for_lead(session, user.city, challenge.id, lead):
        raise Conflict(
            "Your organisation already applied to this challenge", code="application.duplicate"
        )
    values = data.model_dump(
        exclude_none=True, exclude={"lead_org_id", "member_org_ids", "documents"}
    )
    members = await _check_members(session, user.city, lead, data.member_org_ids or [])
    application = Application(
        **values,
        city=user.city,
        challenge_id=challenge.id,
        demand_id=challenge.demand_id,
        owner_org_id=challenge.owner_org_id,
        lead_org_id=lead,
        member_org_ids=members,
        county=lead_org.county,
        status=DRAFT,
        created_by=user.sub,
        challenge=challenge,
    )
    session.add(application)
    await session.flush()
    if data.documents:
        application.documents = await documents.file_under(
            session, user, "application", application.id, data.documents, {lead, *members}
        )
    record(
        session,
        AuditLog,
        user,
        entity="application",
        entity_id=application.id,
        action="create",
        to_state=DRAFT,
    )
    return application


async def update(
    session: AsyncSession,
    user: Claims,
    ruleset: RuleSet,
    application: Application,
    data: ApplicationUpdate,
) -> Application:
    _before_deadline(application.challenge, ruleset)
    changes = data.model_dump(exclude_unset=True)
    if "member_org_ids" in changes:
        changes["member_org_ids"] = await _check_members(
            session,
            user.city,
            application.lead_org_id,
            changes.get("member_org_ids") or application.member_org_ids,
        )
    if data.documents is not None:
        members = changes.get("member_org_ids", application.member_org_ids)
        changes["documents"] = await documents.file_under(
            session,
            user,
            "application",
            application.id,
            data.documents,
            {application.lead_org_id, *members},
        )
    await drafts.apply_update(
        session,
        user,
        "application",
        application,
        changes,
        not_null=("other_municipal_application", "documents"),
    )
    return application


def _org(org: Organization) -> policy.Org:
    return policy.Org(
        id=org.id,
        kind=org.kind,
        revenue_last_year=org.revenue_last_year,
        rd_spend_last_year=org.rd_spend_last_year,
        affiliated_org_ids=frozenset(org.affiliated_org_ids),
    )


async def _facts(session: AsyncSession, application: Application) -> policy.ApplicationFacts:
    ids = {application.owner_org_id, application.lead_org_id, *application.member_org_ids}
    orgs = await organizations.get_many(session, application.city, ids)
    parties = {application.lead_org_id, *application.member_org_ids}
    present = await documents.present(session, application.city, application.documents, parties)
    return policy.ApplicationFacts(
        category=application.challenge.category,
        owner=_org(orgs[application.owner_org_id]),
        lead=_org(orgs[application.lead_org_id]),
        members=[_org(orgs[m]) for m in application.member_org_ids if m in orgs],
        pi_employed_by_lead=(application.pi or {}).get("employed_by_lead"),
        other_municipal_application=application.other_municipal_application,
        document_kinds=present,
        requested_subsidy=application.requested_subsidy,
    )


async def eligibility(
    session: AsyncSession, ruleset: RuleSet, application: Application
) -> list[Violation]:
    """The conditions re-checked on today's facts (HZ 三(四)4 joint review): the organisations
    as they are now, not as they were at submission."""
    return policy.eligibility_violations(ruleset, await _facts(session, application))


async def submit(
    session: AsyncSession, user: Claims, ruleset: RuleSet, application: Application
) -> Application:
    challenge = application.challenge
    _before_deadline(challenge, ruleset)
    if clock.now() < challenge.publication_opens_at:
        raise Conflict(
            f"Applications open at {local_time(challenge.publication_opens_at, ruleset.timezone)}",
            code="application.not_open_yet",
        )
    enforce(policy.eligibility_violations(ruleset, await _facts(session, application)), user=user)
    lead = await organizations.get(session, application.city, application.lead_org_id)
    application.county = lead.county if lead else None  # the bureau's record (HZ 三(四)3)
    application.status, application.submitted_at = SUBMITTED, clock.now()
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="application",
        entity_id=application.id,
        action="submit",
        from_state=DRAFT,
        to_state=SUBMITTED,
    )
    return application


async def withdraw(
    session: AsyncSession, user: Claims, ruleset: RuleSet, application: Application
) -> Application:
    if application.status == WITHDRAWN:
        raise Conflict("The application is already withdrawn", code="application.withdrawn")
    _before_deadline(application.challenge, ruleset)
    before = application.status
    application.status, application.withdrawn_at = WITHDRAWN, clock.now()
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="application",
        entity_id=application.id,
        action="withdraw",
        from_state=before,
        to_state=WITHDRAWN,
    )
    return application
