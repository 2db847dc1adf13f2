"""JWT verification and minting, the only place python-jose is used.

python-jose's defaults are unsafe: without ``algorithms`` it trusts the token's header, and it
does not require ``exp``, ``aud`` or ``iss``. Here the algorithm comes from settings only, and
every claim the platform relies on is required.
"""

import time
from enum import StrEnum
from typing import Any
from uuid import UUID

from jose import JWTError, jwt
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from common.errors import Unauthorized
from common.settings import Settings


class Role(StrEnum):
    demand_owner = "demand_owner"
    solver = "solver"
    expert = "expert"
    bureau = "bureau"
    auditor = "auditor"
    service = "service"


class Claims(BaseModel):
    """The verified identity of a caller."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    sub: str = Field(min_length=1, max_length=200)
    role: Role
    city: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")
    org_id: UUID | None = None
    exp: int
    iss: str
    aud: str | list[str]

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.bureau, Role.service)


_REQUIRED = {
    "verify_signature": True,
    "verify_exp": True,
    "verify_aud": True,
    "verify_iss": True,
    "require_exp": True,
    "require_aud": True,
    "require_iss": True,
    "require_sub": True,
    "leeway": 0,
}


def _verification_key(settings: Settings) -> str:
    if settings.jwt_algorithm == "HS256":
        return settings.jwt_secret.get_secret_value()
    assert settings.jwt_public_key, "a public key is required for asymmetric algorithms"
    return settings.jwt_public_key


def _signing_key(settings: Settings) -> str:
    if settings.jwt_algorithm == "HS256":
        return settings.jwt_secret.get_secret_value()
    if settings.jwt_private_key is None:
        raise RuntimeError("JIEBANG_JWT_PRIVATE_KEY is needed to mint tokens with RS256/ES256")
    return settings.jwt_private_key.get_secret_value()


def verify_token(token: str, settings: Settings) -> Claims:
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != settings.jwt_algorithm:
            raise Unauthorized("Token algorithm not accepted")
        payload = jwt.decode(
            token,
            _verification_key(settings),
            algorithms=[settings.jwt_algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options=_REQUIRED,
        )
        return Claims.model_validate(payload)
    except (JWTError, ValidationError, ValueError, TypeError, KeyError) as exc:
        raise Unauthorized("Invalid or expired token", code="auth.invalid_token") from exc


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise Unauthorized()
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authorization must be 'Bearer <token>'")
    return token.strip()


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
