"""Money and scores on the wire: exactly ``^-?[0-9]+(\\.[0-9]{1,2})?$`` as a string, normalised."""

import random
from decimal import Decimal

import httpx
import pytest
from pydantic import BaseModel, ValidationError

from common.money import Money, Score, SignedMoney
from scripts.scenario import credit_code


class Amounts(BaseModel):
    money: Money | None = None
    signed: SignedMoney | None = None
    score: Score | None = None


REFUSED = [
    "1e7", "1E2", "1_000", "+5", ".5", "5.", "1.234", " 5", "5 ", "",
    "１２３", "١٢٣", "NaN", "Infinity", "0x10", "1,000", "--1", 5, 5.0, True, None,
]  # fmt: skip


@pytest.mark.parametrize("value", REFUSED, ids=repr)
@pytest.mark.parametrize("field", ["money", "signed", "score"])
def test_only_the_documented_pattern_is_accepted(field: str, value: object) -> None:
    if value is None:
        return  # None is "absent" for optional fields, tested by the schemas themselves
    with pytest.raises(ValidationError):
        Amounts.model_validate({field: value})


@pytest.mark.parametrize("field", ["money", "score"])
def test_no_sign_where_a_negative_means_nothing(field: str) -> None:
    with pytest.raises(ValidationError):
        Amounts.model_validate({field: "-1"})


@pytest.mark.parametrize(
    ("field", "value", "answer"),
    [
        ("money", "5", "5.00"),
        ("money", "3200000.5", "3200000.50"),
        ("money", "0007.10", "7.10"),
        ("signed", "-0", "0.00"),
        ("signed", "-0.00", "0.00"),
        ("signed", "-1500000.5", "-1500000.50"),
        ("score", "85", "85.00"),
        ("score", "100", "100.00"),
    ],
)
def test_answers_are_normalised(field: str, value: str, answer: str) -> None:
    assert Amounts.model_validate({field: value}).model_dump(mode="json")[field] == answer


def test_platform_decimals_pass_and_serialise_without_negative_zero() -> None:
    assert Amounts(signed=Decimal("-0.00")).model_dump(mode="json")["signed"] == "0.00"
    assert Amounts(money=Decimal("12")).model_dump(mode="json")["money"] == "12.00"
    with pytest.raises(ValidationError):
        Amounts(score=Decimal("100.01"))


async def test_a_json_number_for_money_is_a_422_through_the_gateway(
    api: httpx.AsyncClient, auth
) -> None:
    body = {
        "name": "Numbers Ltd",
        "credit_code": credit_code(random.Random()),
        "kind": "enterprise",
        "revenue_last_year": 10000000,
    }
    response = await api.post("/api/v1/organizations", json=body, headers=auth("bureau"))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "request.validation"
    assert [e["loc"][-1] for e in problem["errors"]] == ["revenue_last_year"]
