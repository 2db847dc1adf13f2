"""Before approving, ask finance whether the city's annual budget (年度预算) can hold the plan's
cap: the joint review weighs the annual budget (HZ 三(四)4), so a decision the budget cannot
hold is refused with finance's ``code`` and ``clause``.

Advisory only: when finance cannot be reached the approval goes ahead, because the commit
finance makes when the plan arrives is the guarantee (a plan the budget cannot hold then waits
as ``awaiting_budget`` and is not payable). Tests: tests/finance/budgets/test_budgets_api.py.
"""

from typing import Any

from common.errors import JiebangError
from common.http import ServiceClient, upstream_error

CHECK_PATH = "/api/v1/budgets/checks"


async def ensure_budget_holds(services: ServiceClient, city: str, plan: dict[str, Any]) -> None:
    try:
        response = await services.request("POST", CHECK_PATH, city=city, json=plan, read_only=True)
    except JiebangError:
        return
    if response.status_code == 422:
        refusal = upstream_error(response)
        if refusal.code.startswith("budget."):
            raise refusal
