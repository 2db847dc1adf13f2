"""The ``Annotated`` dependency types every route uses: who is calling, and may they."""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from common.auth import CITY_HEADER, Claims, Role, Verifier
from common.errors import Forbidden, Unauthorized
from common.provincial import provincial_reader
from common.rulesets.registry import RuleSetRegistry
from common.rulesets.schema import RuleSet
from common.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="JWT issued by the platform's identity provider")


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Claims:
    """Every service verifies the token again (defence in depth: the gateway is not trusted),
    then resolves what an owner or solver acts for from the membership records
    (``common.memberships``)."""
    if credentials is None or not credentials.credentials:
        raise Unauthorized()
    verifier: Verifier = request.app.state.verifier
    claims = await verifier.verify(credentials.credentials, city=request.headers.get(CITY_HEADER))
    if claims.role == Role.provincial:
        claims = await provincial_reader(request, claims)
    resolver = getattr(request.app.state, "memberships", None)
    if resolver is not None and claims.role in (Role.demand_owner, Role.solver):
        claims = await resolver.resolve(request, claims)
    request.state.claims = claims
    return claims


CurrentUser = Annotated[Claims, Depends(current_user)]


async def optional_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Claims | None:
    """For what policy makes public (the published list, publicity notices): no token is the
    public; a token that is sent must still be valid (401), never silently the public."""
    if credentials is None:
        return None
    return await current_user(request, credentials)


OptionalUser = Annotated[Claims | None, Depends(optional_user)]


def require_roles(*roles: Role) -> Callable[..., Coroutine[Any, Any, Claims]]:
    allowed = frozenset(roles)

    async def checker(user: CurrentUser) -> Claims:
        if user.role not in allowed:
            raise Forbidden(
                f"Role '{user.role}' may not do this; allowed: {', '.join(sorted(allowed))}",
                code="auth.role",
            )
        return user

    return checker


BureauUser = Annotated[Claims, Depends(require_roles(Role.bureau))]
ServiceCaller = Annotated[Claims, Depends(require_roles(Role.service))]
StaffUser = Annotated[Claims, Depends(require_roles(Role.bureau, Role.service))]
FinanceReader = Annotated[
    Claims, Depends(require_roles(Role.bureau, Role.auditor, Role.service, Role.provincial))
]


def get_registry(request: Request) -> RuleSetRegistry:
    registry: RuleSetRegistry = request.app.state.rulesets
    return registry


RegistryDep = Annotated[RuleSetRegistry, Depends(get_registry)]


def city_ruleset(user: CurrentUser, registry: RegistryDep) -> RuleSet:
    """The rule set of the caller's city (404 when the platform does not serve that city)."""
    return registry.get(user.city)


CityRuleSet = Annotated[RuleSet, Depends(city_ruleset)]

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=128,
        pattern=r"^[A-Za-z0-9._:\-]+$",
        description="Required on money-moving POSTs; the same key and body answer the first result",
    ),
]
