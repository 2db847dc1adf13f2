"""Soft-rule overrides (原则上, DOMAIN.md §6): who lifted which limit and why, shown on it."""

from typing import Any

from common import clock
from common.auth import Claims
from common.policy import Violation


def override_entries(
    overridden: list[Violation], user: Claims, reason: str | None
) -> list[dict[str, Any]]:
    at = clock.now().isoformat()
    return [
        {"code": v.code, "clause": v.clause, "reason": reason, "by": user.sub, "at": at}
        for v in overridden
    ]
