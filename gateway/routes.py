"""Which service answers which first path segment, and which roles may reach it at all.

The gateway's role check is coarse (per segment); each service checks again, per object.
"""

from dataclasses import dataclass

from common.auth import Role

ANY: frozenset[Role] = frozenset(Role)
_STAFF = {Role.bureau, Role.service}


@dataclass(frozen=True)
class Route:
    service: str
    roles: frozenset[Role] = ANY


def _r(service: str, *roles: Role) -> Route:
    return Route(service, frozenset(roles) if roles else ANY)


ROUTES: dict[str, Route] = {
    # intake
    "organizations": _r("intake"),
    "memberships": _r("intake", Role.bureau, Role.service),
    "rounds": _r("intake"),
    "demands": _r("intake"),
    "challenges": _r("intake"),
    "applications": _r("intake"),
    "documents": _r("intake"),
    # review
    "experts": _r("review", Role.bureau, Role.expert, Role.service),
    "vettings": _r("review", Role.bureau, Role.expert, Role.demand_owner, Role.service),
    "panels": _r("review", Role.bureau, Role.expert, Role.service),
    "results": _r("review"),
    "objections": _r("review"),
    "notices": _r("review"),
    "quotas": _r("review", Role.bureau, Role.service),
    "proposals": _r("review", Role.bureau, Role.service),
    "decision-meetings": _r("review", Role.bureau, Role.service),
    "decisions": _r("review", Role.bureau, Role.service),
    "projects": _r("review"),
    "deliveries": _r("review", Role.bureau),
    # finance
    "funding": _r("finance"),
    "budgets": _r("finance"),  # the service decides (bureau, auditor, later provincial)
    "disbursements": _r("finance", Role.bureau, Role.auditor, Role.service),
    "settlements": _r("finance", Role.bureau, Role.auditor, Role.service),
    "clawbacks": _r("finance", Role.bureau, Role.auditor, Role.service),
    "ledger": _r("finance", Role.bureau, Role.auditor, Role.provincial, Role.service),
    "reports": _r("finance", Role.bureau, Role.auditor, Role.provincial, Role.service),
}

LOCAL_SEGMENTS = frozenset({"auth", "me", "cities"})
# What policy makes public (URC 一(一) 公开发布, HZ 三(二) 向社会公告; publicity URC 二(五),
# HZ 三(五) 向社会公示): GET needs no token there; a token, when sent, is verified as anywhere.
PUBLIC_READS = frozenset({"challenges", "notices"})
