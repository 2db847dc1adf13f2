"""The gateway's JWT checks against the usual attacks, and role enforcement per segment."""

import base64
import json
import time

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwt

from common.settings import DEV_SECRET, Settings
from gateway.app import create_app


def _claims(**over: object) -> dict[str, object]:
    now = int(time.time())
    base: dict[str, object] = {
        "sub": "u1",
        "role": "bureau",
        "city": "huzhou",
        "iat": now,
        "exp": now + 600,
        "iss": "jiebang",
        "aud": "jiebang-api",
    }
    base.update(over)
    return {k: v for k, v in base.items() if v is not None}


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _hs(**over: object) -> str:
    return str(jwt.encode(_claims(**over), DEV_SECRET, algorithm="HS256"))


ATTACKS = {
    "expired": _hs(exp=int(time.time()) - 5),
    "wrong_aud": _hs(aud="someone-else"),
    "no_aud": _hs(aud=None),
    "wrong_iss": _hs(iss="evil"),
    "no_exp": _hs(exp=None),
    "bad_signature": str(jwt.encode(_claims(), "not-the-secret", algorithm="HS256")),
    "alg_none": _b64({"alg": "none", "typ": "JWT"}) + "." + _b64(_claims()) + ".",
    "garbage": "abc.def.ghi",
    "unknown_role": _hs(role="emperor"),
}


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/demands", "/api/v1/ledger/entries"])
async def test_no_token_is_401(api: httpx.AsyncClient, path: str) -> None:
    response = await api.get(path)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("attack", sorted(ATTACKS))
@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/rounds", "/api/v1/funding/x"])
async def test_forged_tokens_are_401(api: httpx.AsyncClient, attack: str, path: str) -> None:
    response = await api.get(path, headers={"Authorization": f"Bearer {ATTACKS[attack]}"})
    assert response.status_code == 401, response.text
    assert response.json()["code"] in {"auth.invalid_token", "auth.unauthorized"}


async def test_valid_token_passes(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/v1/me", headers={"Authorization": f"Bearer {_hs()}"})
    assert response.status_code == 200
    assert response.json()["role"] == "bureau"


async def test_hs256_signed_with_rsa_public_key_is_refused_when_rs256_configured() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    settings = Settings(
        env="test", jwt_algorithm="RS256", jwt_public_key=public, jwt_private_key=private
    )
    app = create_app(settings)
    good = str(jwt.encode(_claims(), private, algorithm="RS256"))
    # The classic confusion attack: HMAC keyed with the public key text.
    import hashlib
    import hmac

    signing_input = _b64({"alg": "HS256", "typ": "JWT"}) + "." + _b64(_claims())
    mac = hmac.new(public.encode(), signing_input.encode(), hashlib.sha256).digest()
    forged = signing_input + "." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        ok = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {good}"})
        bad = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"})
        proxied = await client.get("/api/v1/rounds", headers={"Authorization": f"Bearer {forged}"})
    assert ok.status_code == 200
    assert bad.status_code == 401
    assert proxied.status_code == 401


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("solver", "/api/v1/ledger/entries"),
        ("demand_owner", "/api/v1/decisions"),
        ("expert", "/api/v1/disbursements"),
        ("auditor", "/api/v1/panels/x"),
    ],
)
async def test_wrong_role_is_403(api: httpx.AsyncClient, auth, role: str, path: str) -> None:
    response = await api.get(path, headers=auth(role))
    assert response.status_code == 403
    assert response.json()["code"] == "auth.role"


@pytest.mark.parametrize(
    ("segment", "service"),
    [
        ("organizations", "intake"),
        ("rounds", "intake"),
        ("demands", "intake"),
        ("challenges", "intake"),
        ("applications", "intake"),
        ("experts", "review"),
        ("vettings", "review"),
        ("panels", "review"),
        ("results", "review"),
        ("objections", "review"),
        ("decisions", "review"),
        ("projects", "review"),
        ("funding", "finance"),
        ("disbursements", "finance"),
        ("settlements", "finance"),
        ("clawbacks", "finance"),
        ("ledger", "finance"),
        ("reports", "finance"),
    ],
)
async def test_each_segment_reaches_its_service(
    api: httpx.AsyncClient, auth, segment: str, service: str
) -> None:
    response = await api.get(
        f"/api/v1/{segment}/00000000-0000-0000-0000-000000000000/x",
        headers={**auth("bureau"), "X-Request-ID": f"rid-{segment}"},
    )
    assert response.headers["x-served-by"] == service
    assert response.headers["x-request-id"] == f"rid-{segment}"
    assert response.status_code < 500


async def test_unknown_segment_is_404_problem(api: httpx.AsyncClient, auth) -> None:
    response = await api.get("/api/v1/nothing-here", headers=auth("bureau"))
    assert response.status_code == 404
    assert response.headers["x-served-by"] == "gateway"


async def test_request_id_is_made_when_missing(api: httpx.AsyncClient) -> None:
    response = await api.get("/healthz")
    assert len(response.headers["x-request-id"]) >= 16


async def test_dev_token_is_404_in_production() -> None:
    settings = Settings(
        env="production",
        oidc_issuer="https://id.example.gov.cn",
        jwt_audience="jiebang-api",
        db_app_password="a-real-database-password",
    )
    app = create_app(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        response = await client.post(
            "/api/v1/auth/dev-token", json={"sub": "x", "role": "bureau", "city": "huzhou"}
        )
    assert response.status_code == 404


async def test_dev_token_round_trip(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/api/v1/auth/dev-token",
        json={"sub": "alice", "role": "auditor", "city": "urumqi"},
    )
    assert response.status_code == 200
    token = response.json()["access_token"]
    me = await api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["sub"] == "alice"
    assert me.json()["role"] == "auditor"


async def test_dev_token_for_unknown_city_is_404(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/api/v1/auth/dev-token", json={"sub": "a", "role": "bureau", "city": "atlantis"}
    )
    assert response.status_code == 404


async def test_cities_and_ruleset(api: httpx.AsyncClient, auth) -> None:
    cities = await api.get("/api/v1/cities", headers=auth("solver"))
    assert {c["city"] for c in cities.json()["items"]} >= {"urumqi", "huzhou"}
    full = await api.get("/api/v1/cities/huzhou/ruleset", headers=auth("solver"))
    assert full.json()["funding"]["rate"] == "0.25"
    missing = await api.get("/api/v1/cities/atlantis/ruleset", headers=auth("solver"))
    assert missing.status_code == 404
