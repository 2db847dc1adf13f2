"""Tokens from a real OpenID Connect provider (node-oidc-provider, OpenID Certified, started
as a process): discovery, a person's token through the authorization-code grant, a service's
token through client credentials, key rotation, a provider outage, and the tokens the
platform must refuse (401)."""

import base64
import json
import time
import uuid

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwt

from common.auth import CITY_HEADER, Role, Verifier
from common.errors import Unauthorized
from gateway.app import create_app
from tests.identity.conftest import fresh_keys, oidc_settings
from tests.identity.provider_process import OTHER_RESOURCE, Provider


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def _me(settings_provider: Provider, token: str, **over: object) -> httpx.Response:
    app = create_app(oidc_settings(settings_provider, **over))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        return await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


async def test_discovery_names_the_keys_and_grants(provider: Provider) -> None:
    async with httpx.AsyncClient() as client:
        discovery = await client.get(f"{provider.issuer}/.well-known/openid-configuration")
        document = discovery.json()
        jwks = (await client.get(document["jwks_uri"])).json()
    assert document["issuer"] == provider.issuer
    assert "client_credentials" in document["grant_types_supported"]
    verifier = Verifier(oidc_settings(provider))
    await verifier.prime()
    assert verifier.keys is not None and verifier.keys.kids == {k["kid"] for k in jwks["keys"]}


async def test_person_signs_in_through_the_authorization_code_grant(provider: Provider) -> None:
    token = provider.user_token("zhang-wei", "bureau", "huzhou", "张伟")
    response = await _me(provider, token)
    assert response.status_code == 200, response.text
    me = response.json()
    assert (me["sub"], me["role"], me["city"], me["name"]) == (
        "zhang-wei",
        "bureau",
        "huzhou",
        "张伟",
    )


async def test_claim_names_are_configuration(provider: Provider) -> None:
    token = provider.user_token("li-na", "auditor", "urumqi", "李娜")
    renamed = await _me(provider, token, oidc_role_claim="city", oidc_city_claim="role")
    assert renamed.status_code == 401  # "urumqi" is no role: the configured claim decides
    assert (await _me(provider, token)).json()["role"] == "auditor"


async def test_service_token_through_client_credentials(provider: Provider) -> None:
    token = provider.service_token("jiebang-review")
    verifier = Verifier(oidc_settings(provider))
    claims = await verifier.verify(token, city="huzhou")
    assert (claims.role, claims.sub, claims.city) == (Role.service, "jiebang-review", "huzhou")
    # The same service credential is no user token: no city named, no identity.
    with pytest.raises(Unauthorized):
        await verifier.verify(token)


async def test_a_person_cannot_become_a_service(provider: Provider) -> None:
    """A person whose provider record says ``service`` still holds a user token: 401."""
    token = provider.user_token("mallory", "service", "huzhou")
    assert (await _me(provider, token)).status_code == 401


@pytest.mark.parametrize("case", ["expired", "wrong_aud", "wrong_iss", "alg_none", "unknown_kid"])
async def test_refused_tokens_are_401(provider: Provider, case: str, tmp_path) -> None:
    token = _refused_token(provider, case, tmp_path)
    response = await _me(provider, token)
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def _refused_token(provider: Provider, case: str, tmp_path) -> str:
    if case == "expired":
        token = provider.user_token(f"short-{uuid.uuid4().hex[:6]}", "bureau", "huzhou", ttl=1)
        time.sleep(2.1)
        return token
    if case == "wrong_aud":
        return provider.user_token("zhao-lei", "bureau", "huzhou", resource=OTHER_RESOURCE)
    if case == "wrong_iss":
        # Another provider process signing with the very same key, under another issuer.
        impostor = Provider(tmp_path / "impostor", keys_file=provider.keys_file)
        impostor.start()
        try:
            return impostor.user_token("zhao-lei", "bureau", "huzhou")
        finally:
            impostor.stop()
    genuine = provider.user_token("zhao-lei", "bureau", "huzhou")
    claims = jwt.get_unverified_claims(genuine)
    if case == "alg_none":
        return _b64({"alg": "none", "typ": "at+jwt"}) + "." + _b64(claims) + "."
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return str(jwt.encode(claims, pem.decode(), algorithm="RS256", headers={"kid": "forged-kid"}))


async def test_key_rotation_and_provider_outage(provider: Provider) -> None:
    """The provider rotates: a token with the new kid is accepted (the keys are refreshed),
    one with the removed kid is refused after that refresh. Then the provider stops: the
    cached keys still verify."""
    verifier = Verifier(oidc_settings(provider))
    before = provider.user_token("wang-fang", "bureau", "huzhou")
    assert (await verifier.verify(before)).sub == "wang-fang"

    provider.restart(keys_file=fresh_keys(provider, "rotated"))
    after = provider.user_token("wang-fang", "bureau", "huzhou")
    assert jwt.get_unverified_header(after)["kid"] != jwt.get_unverified_header(before)["kid"]
    assert (await verifier.verify(after)).sub == "wang-fang"
    with pytest.raises(Unauthorized):
        await verifier.verify(before)

    provider.stop()
    try:
        assert (await verifier.verify(after)).sub == "wang-fang"
        with pytest.raises(Unauthorized):  # an unknown kid cannot be looked up: still refused
            await verifier.verify(before)
    finally:
        provider.start()


async def test_service_call_through_gateway_carries_its_city(provider: Provider) -> None:
    """The gateway forwards a service credential only with the city it acts in."""
    token = provider.service_token("jiebang-finance")
    app = create_app(oidc_settings(provider))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        headers = {"Authorization": f"Bearer {token}"}
        without = await client.get("/api/v1/me", headers=headers)
        with_city = await client.get("/api/v1/me", headers={**headers, CITY_HEADER: "urumqi"})
    assert without.status_code == 401
    assert with_city.status_code == 200 and with_city.json()["role"] == "service"
