"""Token verification and (dev/test only) minting: the only place python-jose is used.

python-jose's defaults are unsafe: without ``algorithms`` it trusts the token's header, and it
does not require ``exp``, ``aud`` or ``iss``. Here the algorithms come from settings only, and
every claim the platform relies on is required.

Two kinds of token, told apart by their audience and each checked with its own keys:

* **user tokens** (audience ``jwt_audience``): from the city's OIDC provider (discovery + JWKS,
  ``common.jwks``) or, in dev/test, signed by the platform. The configured claims give role,
  city and name. A user token never carries the ``service`` role: such a token is 401.
* **service tokens** (audience ``service_audience``): a service's own credential — the
  provider's client-credentials grant, or in dev/test a service secret that signs nothing
  else. The client must be one of ``service_clients``. The city a service call acts in comes
  with the call (``X-Jiebang-City``), since a service works for every city.

Tested by ``tests/foundation/test_gateway_auth.py``, ``tests/identity/test_service_credentials.py``
and ``tests/identity/test_oidc_provider.py``.
"""

import time
from enum import StrEnum
from typing import Any
from uuid import UUID

from jose import JWTError, jwt
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from common.errors import Unauthorized
from common.jwks import JwksCache, KeySetUnavailable, provider_fetch
from common.settings import Settings

CITY_HEADER = "x-jiebang-city"
CITY_PATTERN = r"^[a-z][a-z0-9_-]*$"


class Role(StrEnum):
    demand_owner = "demand_owner"
    solver = "solver"
    expert = "expert"
    bureau = "bureau"
    auditor = "auditor"
    provincial = "provincial"
    service = "service"


class Claims(BaseModel):
    """The verified identity of a caller. For owners and solvers ``org_id`` is the
    organisation of an active membership once the service has resolved it (never the
    token's word alone)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    sub: str = Field(min_length=1, max_length=200)
    role: Role
    city: str = Field(min_length=1, max_length=64, pattern=CITY_PATTERN)
    name: str | None = Field(default=None, max_length=200)
    org_id: UUID | None = None
    exp: int
    iss: str
    aud: str | list[str]

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.bureau, Role.service)

    @property
    def reads_all(self) -> bool:
        """Sees every object of its city (the provincial role: read-only, audited)."""
        return self.role in (Role.bureau, Role.service, Role.provincial)


_REQUIRED = {
    "verify_signature": True,
    "verify_exp": True,
    "verify_aud": True,
    "verify_iss": True,
    "require_exp": True,
    "require_aud": True,
    "require_iss": True,
    "leeway": 0,
}


def _invalid(detail: str = "Invalid or expired token") -> Unauthorized:
    return Unauthorized(detail, code="auth.invalid_token")


def _claim(payload: dict[str, Any], path: str) -> Any:
    """A claim by dotted path (``realm_access.roles`` for Keycloak realm roles)."""
    value: Any = payload
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _role(value: Any) -> Role:
    """One platform role: a string, or a list holding exactly one of the platform's roles."""
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    roles = {Role(n) for n in names if isinstance(n, str) and n in Role.__members__}
    if len(roles) != 1:
        raise _invalid("The token carries no single platform role")
    (role,) = roles
    if role == Role.service:
        raise Unauthorized(
            "A user credential never carries the service role", code="auth.service_role"
        )
    return role


def _user_claims(payload: dict[str, Any], settings: Settings) -> Claims:
    try:
        return Claims(
            sub=payload.get("sub"),
            role=_role(_claim(payload, settings.oidc_role_claim)),
            city=_claim(payload, settings.oidc_city_claim),
            name=_claim(payload, settings.oidc_name_claim),
            org_id=_claim(payload, settings.oidc_org_claim),
            exp=payload["exp"],
            iss=payload["iss"],
            aud=payload["aud"],
        )
    except (ValidationError, KeyError, TypeError, ValueError) as exc:
        raise _invalid("The token lacks the claims the platform needs") from exc


def _service_claims(payload: dict[str, Any], settings: Settings, city: str | None) -> Claims:
    client = payload.get("client_id") or payload.get("sub")
    if client not in settings.service_clients or payload.get("sub", client) != client:
        raise _invalid("Not a service credential of this platform")
    if not city:
        raise Unauthorized("A service call names its city (X-Jiebang-City)", code="auth.no_city")
    try:
        return Claims(
            sub=str(client),
            role=Role.service,
            city=city,
            exp=payload["exp"],
            iss=payload["iss"],
            aud=payload["aud"],
        )
    except (ValidationError, KeyError) as exc:
        raise _invalid() from exc


def _audiences(token: str) -> list[str]:
    try:
        aud = jwt.get_unverified_claims(token).get("aud")
    except (JWTError, AttributeError) as exc:
        raise _invalid() from exc
    return [aud] if isinstance(aud, str) else [a for a in aud or [] if isinstance(a, str)]


def _decode(token: str, key: Any, algorithms: list[str], audience: str, issuer: str) -> Any:
    try:
        alg = jwt.get_unverified_header(token).get("alg")
        if alg not in algorithms:
            raise _invalid("Token algorithm not accepted")
        return jwt.decode(
            token, key, algorithms=[alg], audience=audience, issuer=issuer, options=_REQUIRED
        )
    except (JWTError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise _invalid() from exc


def _local_user_key(settings: Settings) -> str:
    if settings.jwt_algorithm == "HS256":
        return settings.jwt_secret.get_secret_value()
    assert settings.jwt_public_key, "a public key is required for asymmetric algorithms"
    return settings.jwt_public_key


def verify_token(token: str, settings: Settings, *, city: str | None = None) -> Claims:
    """Verify a token signed by the platform itself (dev/test: no provider configured)."""
    if settings.service_audience in _audiences(token):
        secret = settings.service_secret.get_secret_value()
        payload = _decode(token, secret, ["HS256"], settings.service_audience, settings.jwt_issuer)
        return _service_claims(payload, settings, city)
    key = _local_user_key(settings)
    payload = _decode(
        token, key, [settings.jwt_algorithm], settings.jwt_audience, settings.jwt_issuer
    )
    return _user_claims(payload, settings)


class Verifier:
    """One per process: verifies against the provider's JWKS, or locally in dev/test."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.keys: JwksCache | None = None
        if settings.oidc_issuer:
            self.fetch = provider_fetch(
                settings.oidc_issuer, settings.oidc_jwks_url, settings.oidc_timeout_seconds
            )
            self.keys = JwksCache(
                self.fetch,
                min_refresh_seconds=settings.jwks_refresh_min_seconds,
                max_age_seconds=settings.jwks_max_age_seconds,
            )

    async def prime(self) -> None:
        """Load the keys at start-up; production refuses to start without them."""
        if self.keys is not None:
            try:
                await self.keys.refresh(force=True)
            except KeySetUnavailable as exc:
                raise RuntimeError(
                    f"cannot load the signing keys (JWKS) of {self.settings.oidc_issuer}: {exc}"
                ) from exc

    async def verify(self, token: str, *, city: str | None = None) -> Claims:
        if self.keys is None:
            return verify_token(token, self.settings, city=city)
        settings = self.settings
        assert settings.oidc_issuer
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except (JWTError, AttributeError) as exc:
            raise _invalid() from exc
        if not isinstance(kid, str) or not kid:
            raise _invalid("The token names no signing key (kid)")
        try:
            key = await self.keys.key(kid)
        except KeySetUnavailable as exc:
            raise Unauthorized(
                "The identity provider's keys are not available", code="auth.keys_unavailable"
            ) from exc
        if key is None:
            raise _invalid("The token's signing key is not the provider's")
        algorithms = [a for a in settings.oidc_algorithms if key.get("alg") in (None, a)]
        service = settings.service_audience in _audiences(token)
        audience = settings.service_audience if service else settings.jwt_audience
        payload = _decode(token, key, list(algorithms), audience, settings.oidc_issuer)
        if service:
            return _service_claims(payload, settings, city)
        return _user_claims(payload, settings)


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise Unauthorized()
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authorization must be 'Bearer <token>'")
    return token.strip()


def _signing_key(settings: Settings) -> str:
    if settings.jwt_algorithm == "HS256":
        return settings.jwt_secret.get_secret_value()
    if settings.jwt_private_key is None:
        raise RuntimeError("JIEBANG_JWT_PRIVATE_KEY is needed to mint tokens with RS256/ES256")
    return settings.jwt_private_key.get_secret_value()


def mint_token(
    settings: Settings,
    *,
    sub: str,
    role: Role | str,
    city: str,
    org_id: UUID | str | None = None,
    ttl_seconds: int | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    """A user token signed by the platform (dev/test). Never a service identity."""
    if str(role) == Role.service:
        raise ValueError("service tokens come from the service's own credential, not this key")
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": sub,
        "role": str(role),
        "city": city,
        "iat": now,
        "exp": now + (ttl_seconds if ttl_seconds is not None else settings.token_ttl_seconds),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }
    if org_id is not None:
        claims["org_id"] = str(org_id)
    if extra:
        claims.update(extra)
    return str(jwt.encode(claims, _signing_key(settings), algorithm=settings.jwt_algorithm))


def mint_service_token(settings: Settings, client_id: str, ttl_seconds: int = 120) -> str:
    """A service token signed with the dev/test service secret (no provider configured)."""
    now = int(time.time())
    claims = {
        "sub": client_id,
        "client_id": client_id,
        "iat": now,
        "exp": now + ttl_seconds,
        "iss": settings.jwt_issuer,
        "aud": settings.service_audience,
    }
    return str(jwt.encode(claims, settings.service_secret.get_secret_value(), algorithm="HS256"))
