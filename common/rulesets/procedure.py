"""The order of a city's steps from expert review to the established project (立项), as data.

Huzhou decides first and publicises the proposed projects after the decision (HZ 三(四)4–5,
三(五)); Urumqi publicises the successful solvers after expert review and the owner signs
before 立项 (URC 二(四)–(五)). Each step's service asks ``missing_before`` which earlier steps
are not yet done, so the order is the file's, never a branch on the city's name.
"""

from typing import Literal

from pydantic import Field, model_validator

from common.rulesets.base import Enforcement, Strict

StepCode = Literal[
    "expert_review",
    "joint_review",
    "decision_meeting",
    "publicity",
    "agreement",
    "establishment",
    "contract",
]
CheckCode = Literal["conditions", "quota", "budget", "credit"]


class Step(Strict):
    code: StepCode
    clause: str = Field(min_length=1)


class JointCheck(Strict):
    """One division's check; a soft one may pass on a recorded, reasoned exception."""

    enforcement: Enforcement = "hard"
    clause: str = Field(min_length=1)


class JointReview(Strict):
    checks: dict[CheckCode, JointCheck] = Field(min_length=1)


class Procedure(Strict):
    steps: list[Step] = Field(min_length=2)
    joint_review: JointReview | None = None

    @model_validator(mode="after")
    def _order(self) -> "Procedure":
        codes = [s.code for s in self.steps]
        if len(set(codes)) != len(codes):
            raise ValueError("procedure.steps: a step is listed twice")
        for needed in ("expert_review", "publicity", "establishment"):
            if needed not in codes:
                raise ValueError(f"procedure.steps: '{needed}' is missing")
        if codes[0] != "expert_review":
            raise ValueError("procedure.steps: the procedure starts with expert_review")
        if ("joint_review" in codes) != (self.joint_review is not None):
            raise ValueError("procedure.joint_review: give its checks exactly when it is a step")
        return self

    def codes(self) -> list[str]:
        return [s.code for s in self.steps]

    def step(self, code: str) -> Step | None:
        return next((s for s in self.steps if s.code == code), None)

    def missing_before(self, code: str, done: set[str]) -> list[Step]:
        """The steps listed before ``code`` that are not in ``done``."""
        earlier = self.codes()[: self.codes().index(code)] if code in self.codes() else []
        return [s for s in self.steps if s.code in earlier and s.code not in done]

    def comes_before(self, first: str, second: str) -> bool:
        codes = self.codes()
        return first in codes and second in codes and codes.index(first) < codes.index(second)


# A file without ``procedure`` keeps the order the platform always ran: review, publicity, 立项.
DEFAULT_STEPS = [
    Step(code="expert_review", clause="silent"),
    Step(code="publicity", clause="silent"),
    Step(code="establishment", clause="silent"),
]
