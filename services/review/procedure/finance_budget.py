"""The one call review makes to finance's annual budget (年度预算) during the joint review.

``POST /api/v1/budgets/checks`` with the plan review would send at 立项 answers whether the
budget of the year holds its subsidy cap now (422 ``budget.insufficient`` when not). Kept behind
this function so the joint review does not know finance's shapes; an answer that is neither
(finance without budgets, or down) is "not confirmed", which fails the check.
"""

from dataclasses import dataclass
from typing import Any

from common.errors import JiebangError
from common.http import ServiceClient
from services.review.decisions.budget import CHECK_PATH


@dataclass(frozen=True)
class BudgetAnswer:
    fits: bool | None
    detail: str
    numbers: dict[str, Any]


async def check(services: ServiceClient, city: str, plan: dict[str, Any]) -> BudgetAnswer:
    try:
        response = await services.request("POST", CHECK_PATH, city=city, json=plan)
    except JiebangError as exc:
        return BudgetAnswer(None, f"finance did not answer ({exc.code})", {})
    try:
        body = response.json() if response.content else {}
    except ValueError:
        body = {}
    if response.status_code == 200:
        numbers = {k: body.get(k) for k in ("year", "subsidy_cap", "available")}
        return BudgetAnswer(
            bool(body.get("fits")),
            f"cap {body.get('subsidy_cap')}, available {body.get('available')}",
            numbers,
        )
    if response.status_code == 422:
        return BudgetAnswer(False, str(body.get("detail")), {"code": body.get("code")})
    return BudgetAnswer(None, f"finance answered {response.status_code}", {})
