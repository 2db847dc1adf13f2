"""The real processes on free ports: the gateway routes to each service, carries the request ID,
and reports readiness of every service."""

import httpx
import pytest

from common.auth import mint_token
from common.settings import Settings

pytestmark = pytest.mark.e2e


def _token(role: str, city: str = "huzhou") -> dict[str, str]:
    token = mint_token(Settings(env="test"), sub="e2e", role=role, city=city)
    return {"Authorization": f"Bearer {token}"}


def test_readyz_reports_every_service(live) -> None:
    response = httpx.get(f"{live.gateway_url}/readyz")
    assert response.status_code == 200
    assert response.json()["services"] == {"intake": True, "review": True, "finance": True}


@pytest.mark.parametrize(
    ("segment", "service"), [("rounds", "intake"), ("panels", "review"), ("ledger", "finance")]
)
def test_gateway_reaches_each_service_with_the_request_id(live, segment: str, service: str) -> None:
    response = httpx.get(
        f"{live.gateway_url}/api/v1/{segment}/none",
        headers={**_token("bureau"), "X-Request-ID": f"e2e-{segment}"},
    )
    assert response.headers["x-served-by"] == service
    assert response.headers["x-request-id"] == f"e2e-{segment}"


def test_a_service_reached_directly_refuses_a_forged_identity(live) -> None:
    forged = mint_token(
        Settings(env="test", jwt_secret="someone-elses-secret"),
        sub="x",
        role="bureau",
        city="huzhou",
    )
    for service in ("intake", "review", "finance"):
        response = httpx.get(
            f"{live.url(service)}/api/v1/no-such/x",
            headers={"Authorization": f"Bearer {forged}"},
        )
        assert response.status_code in (401, 404)


def test_dev_token_then_me_through_real_processes(live) -> None:
    token = httpx.post(
        f"{live.gateway_url}/api/v1/auth/dev-token",
        json={"sub": "alice", "role": "bureau", "city": "urumqi"},
    ).json()["access_token"]
    me = httpx.get(f"{live.gateway_url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["city"] == "urumqi"


def test_merged_openapi_has_every_service(live) -> None:
    spec = httpx.get(f"{live.gateway_url}/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert "/api/v1/me" in spec["paths"]
