"""Opening a round: windows checked against the city's rule set; overrides recorded."""

from sqlalchemy.ext.asyncio import AsyncSession

from common.audit import record
from common.auth import Claims
from common.errors import Unprocessable
from common.policy import enforce
from common.rulesets.schema import RuleSet
from services.intake.db import AuditLog
from services.intake.overrides import override_entries
from services.intake.rounds import policy
from services.intake.rounds.models import Round
from services.intake.rounds.schemas import RoundCreate


async def create(session: AsyncSession, user: Claims, ruleset: RuleSet, data: RoundCreate) -> Round:
    unknown = policy.unknown_fields(ruleset, data.fields_open)
    if unknown:
        raise Unprocessable(
            f"Not industry fields of this city: {', '.join(unknown)}",
            code="round.unknown_field",
            clause=ruleset.fields_clause,
        )
    violations = policy.window_violations(
        ruleset,
        (data.collection_opens_at, data.collection_closes_at),
        (data.publication_opens_at, data.publication_closes_at),
    )
    overridden = enforce(violations, user=user, override_reason=data.override_reason)
    round_ = Round(
        **data.model_dump(exclude={"override_reason", "fields_open"}),
        fields_open=list(dict.fromkeys(data.fields_open)),
        city=user.city,
        ruleset_version=ruleset.version,
        overrides=override_entries(overridden, user, data.override_reason),
        created_by=user.sub,
    )
    session.add(round_)
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="round",
        entity_id=round_.id,
        action="open",
        to_state="open",
        reason=data.override_reason if overridden else None,
        data={"overridden": [v.code for v in overridden]} if overridden else None,
    )
    return round_
