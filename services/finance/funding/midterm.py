"""The mid-term check (中期检查) review reports: a passed check releases the plan's mid-term
tranches (``due: midterm``); a failed one leaves them planned, and the settlement cancels them.

Idempotent: the same report again answers the plan; another outcome after one is recorded is
a conflict. Tranches are locked first, as the disbursement and the settlement lock them.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from common.audit import record
from common.auth import Claims
from common.errors import Conflict
from services.finance.db import AuditLog
from services.finance.funding import repository as repo
from services.finance.funding.models import FundingPlan
from services.finance.funding.schemas import MidtermReport


async def record_midterm(
    session: AsyncSession, user: Claims, plan: FundingPlan, body: MidtermReport
) -> tuple[FundingPlan, bool]:
    tranches = [t for t in await repo.lock_tranches(session, plan.id) if t.due == "midterm"]
    if not tranches:
        raise Conflict("This plan has no mid-term tranche", code="funding.no_midterm")
    if plan.status != "active":
        raise Conflict("The plan is no longer active", code="funding.not_active")
    released = [t for t in tranches if t.status != "planned"]
    if released:
        if body.outcome == "passed":
            return plan, False
        raise Conflict("The mid-term tranche was already released", code="funding.midterm_done")
    if body.outcome == "passed":
        for tranche in tranches:
            tranche.status = "due" if tranche.amount > 0 else "cancelled"
    await session.flush()
    record(
        session,
        AuditLog,
        user,
        entity="funding_plan",
        entity_id=plan.id,
        action="midterm",
        to_state=body.outcome,
        data={"tranches": [t.seq for t in tranches], "checked_on": body.checked_on.isoformat()},
    )
    return plan, body.outcome == "passed"
