"""A service identity comes only from a service's own credential: dev-token never mints one,
a user-key-signed token claiming ``service`` is 401 at the gateway and at every service, and
a genuine service credential works only with the city it acts in."""

import time
from typing import Any

import httpx
import pytest
from jose import jwt

from common.auth import CITY_HEADER, mint_service_token, mint_token
from common.settings import DEV_SECRET, Settings

SETTINGS = Settings(env="test")
# One read per service that a service credential may make.
READS = {
    "intake": "/api/v1/rounds",
    "review": "/api/v1/experts",
    "finance": "/api/v1/ledger/entries",
}


def _user_key(**claims: Any) -> str:
    now = int(time.time())
    base = {"sub": "jiebang-intake", "city": "huzhou", "iat": now, "exp": now + 600}
    base |= {"iss": SETTINGS.jwt_issuer, **claims}
    return str(jwt.encode(base, DEV_SECRET, algorithm="HS256"))


FORGED = {
    # The user key, the user audience, the service role.
    "user_token_with_service_role": _user_key(role="service", aud=SETTINGS.jwt_audience),
    # The user key dressed as a service credential (service audience, a service client id).
    "user_key_with_service_audience": _user_key(
        client_id="jiebang-intake", aud=SETTINGS.service_audience
    ),
}


async def test_dev_token_never_mints_a_service(api: httpx.AsyncClient) -> None:
    body = {"sub": "jiebang-intake", "role": "service", "city": "huzhou"}
    response = await api.post("/api/v1/auth/dev-token", json=body)
    assert response.status_code == 422
    with pytest.raises(ValueError, match="own credential"):
        mint_token(SETTINGS, sub="x", role="service", city="huzhou")


@pytest.mark.parametrize("forged", sorted(FORGED))
@pytest.mark.parametrize("service", sorted(READS))
async def test_user_key_claiming_service_is_401_at_every_service(
    apps: Any, api: httpx.AsyncClient, service: str, forged: str
) -> None:
    headers = {"Authorization": f"Bearer {FORGED[forged]}", CITY_HEADER: "huzhou"}
    through_gateway = await api.get(READS[service], headers=headers)
    assert through_gateway.status_code == 401, through_gateway.text
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=apps.services[service]), base_url="http://svc"
    ) as direct:
        straight = await direct.get(READS[service], headers=headers)
    assert straight.status_code == 401, straight.text


@pytest.mark.parametrize("service", sorted(READS))
async def test_the_service_credential_itself_works_with_its_city(
    api: httpx.AsyncClient, auth: Any, service: str
) -> None:
    genuine = auth("service")
    assert (await api.get(READS[service], headers=genuine)).status_code == 200
    no_city = {"Authorization": genuine["Authorization"]}
    assert (await api.get(READS[service], headers=no_city)).status_code == 401


async def test_an_unknown_client_with_the_service_secret_is_401(api: httpx.AsyncClient) -> None:
    rogue = mint_service_token(SETTINGS, "jiebang-rogue")
    headers = {"Authorization": f"Bearer {rogue}", CITY_HEADER: "huzhou"}
    assert (await api.get("/api/v1/rounds", headers=headers)).status_code == 401
