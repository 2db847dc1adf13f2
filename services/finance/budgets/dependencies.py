"""Who reads the annual budget: bureau and auditors of the city, and — once the identity
service issues it — the ``provincial`` role (省级), which only needs adding to READERS."""

from typing import Annotated

from fastapi import Depends, Query

from common.auth import Claims
from common.deps import CurrentUser
from common.errors import Forbidden

# Role names as strings so a role the platform does not issue yet (``provincial``) can be
# listed without importing it; Role is a StrEnum, so membership compares by value.
READERS = frozenset({"bureau", "auditor", "provincial"})


async def budget_reader(user: CurrentUser) -> Claims:
    if user.role not in READERS:
        raise Forbidden(
            f"Role '{user.role}' may not read the budget; allowed: {', '.join(sorted(READERS))}",
            code="auth.role",
        )
    return user


BudgetReader = Annotated[Claims, Depends(budget_reader)]
YearQuery = Annotated[int | None, Query(ge=2000, le=2100, description="Only this year")]
