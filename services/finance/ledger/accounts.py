"""Account names. Signed amounts: a debit is positive, a credit negative.

* ``city:<city>:subsidy_budget`` — the bureau's subsidy budget (credited when money goes out);
* ``project:<id>:solver_paid`` — subsidy paid to the project's solver, net of claw-backs;
* ``project:<id>:clawback_receivable`` — what the solver owes back; never below zero.
"""

from uuid import UUID


def subsidy_budget(city: str) -> str:
    return f"city:{city}:subsidy_budget"


def solver_paid(project_id: UUID) -> str:
    return f"project:{project_id}:solver_paid"


def clawback_receivable(project_id: UUID) -> str:
    return f"project:{project_id}:clawback_receivable"
