"""One OpenAPI 3.1 document for integrators: the gateway's own routes plus every service's.

Component schemas that two services name alike but define differently are renamed with the
service's prefix, and that service's references are rewritten to match.
"""

import copy
import json
from typing import Any

from gateway.operation_docs import document

Spec = dict[str, Any]


def _rewrite_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                name = value.rsplit("/", 1)[-1]
                out[key] = f"#/components/schemas/{renames.get(name, name)}"
            else:
                out[key] = _rewrite_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v, renames) for v in node]
    return node


# What the gateway itself may answer on any proxied operation, before or instead of the service.
GATEWAY_STATUSES = {
    "401": "Unauthorized: missing, expired or forged token",
    "403": "Forbidden: the role may not use this path",
    "404": "Not found (or another city's object)",
    "413": "Payload too large",
    "422": "Unprocessable: the request does not match the schema",
    "503": "Service unavailable: the service or its database is down; retry later",
}
_METHODS = {"get", "put", "post", "delete", "patch"}
# Writes also meet the per-subject write limit (``write_rate_per_minute``).
WRITE_STATUSES = {"429": "Too many requests: the caller's write budget for this minute is spent"}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


HEADERS: dict[str, Any] = {
    "X-Request-ID": {
        "description": "The request's id (the caller's, when safe, or a new one); in every log",
        "schema": {"type": "string", "maxLength": 128},
    },
    "ETag": {
        "description": "Hash of this answer; send it back in If-None-Match to get 304",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "no-store for private data; public, max-age=60 for the public lists",
        "schema": {"type": "string"},
    },
    "Retry-After": {
        "description": "Seconds to wait before retrying",
        "schema": {"type": "integer", "minimum": 0},
    },
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "An ETag from an earlier answer: 304 Not Modified if it still matches",
    "schema": {"type": "string"},
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def _declare_headers(method: str, operation: dict[str, Any]) -> None:
    for status, response in operation["responses"].items():
        headers = response.setdefault("headers", {})
        headers.setdefault("X-Request-ID", _ref("X-Request-ID"))
        if status in ("429", "503"):
            headers.setdefault("Retry-After", _ref("Retry-After"))
        if method == "get" and status == "200":
            headers.setdefault("ETag", _ref("ETag"))
            headers.setdefault("Cache-Control", _ref("Cache-Control"))
    if method == "get":
        params = operation.setdefault("parameters", [])
        if not any(p.get("name") == "If-None-Match" for p in params):
            params.append(IF_NONE_MATCH)
        operation["responses"].setdefault(
            "304",
            {
                "description": "Not modified: the answer still matches If-None-Match",
                "headers": {"ETag": _ref("ETag"), "X-Request-ID": _ref("X-Request-ID")},
            },
        )


def _declare_gateway_answers(paths: dict[str, Any]) -> None:
    for item in paths.values():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            answers = GATEWAY_STATUSES | (WRITE_STATUSES if method != "get" else {})
            for status, description in answers.items():
                responses.setdefault(status, _problem(description))
            _declare_headers(method, operation)


SERVERS = [
    {"url": "/", "description": "The gateway that serves this document (`make run`: port 8000)"},
    {
        "url": "https://{host}",
        "description": "A city's deployment behind TLS",
        "variables": {"host": {"default": "api.jiebang.internal", "description": "its host"}},
    },
]

# Every tag an operation uses, declared once with what it is about (the docs' sections).
TAGS: dict[str, str] = {
    "health": "Liveness and readiness of the platform (no token)",
    "auth": "Tokens and the verified identity of the caller",
    "cities": "The cities served and their rule sets (every rule with its policy clause)",
    "organizations": "Enterprises, institutes and universities that post demands or answer them",
    "rounds": "Collection rounds (征集批次): the windows for demands and for answers",
    "demands": "Technology demands (技术需求) from their draft to their publication",
    "challenges": "Published challenges (榜单): public to everyone, more for signed-in users",
    "notices": "Publicity notices (公示): what is publicised, the period, how to object",
    "applications": "Solvers' answers (揭榜申请) to a challenge",
    "experts": "The expert pool",
    "vettings": "Expert vetting (论证) of demands before publication",
    "panels": "Review panels and the experts' scores",
    "results": "Ranked results, the winner, and publicity",
    "objections": "Objections filed during publicity, and their answers",
    "procedure": "Between review and 立项: the year's quota (立项控制数), the divisions' joint "
    "review (处室联审) and the director meeting (局长办公会议), in the city's order",
    "decisions": "The bureau's decision on a winner (立项)",
    "projects": "Projects: agreements, changes and acceptance",
    "funding": "Funding plans: the subsidy and its tranches",
    "disbursements": "Payments of tranches (four eyes above the threshold)",
    "settlements": "Settlement after acceptance",
    "clawbacks": "Money to be paid back, and repayments",
    "ledger": "The append-only, hash-chained ledger",
    "reports": "Reports for people: round reports and the auditors' export",
    "budgets": "The city's annual budget (年度预算)",
    "documents": "Documents uploaded to the platform",
}


def _declare_tags(paths: dict[str, Any]) -> list[dict[str, str]]:
    used = {
        tag
        for item in paths.values()
        for method, operation in item.items()
        if method in _METHODS
        for tag in operation.get("tags", [])
    }
    order = list(TAGS)
    return [
        {"name": tag, "description": TAGS.get(tag, f"Operations on {tag}")}
        for tag in sorted(used, key=lambda t: (order.index(t) if t in order else len(order), t))
    ]


def merge(gateway: Spec, services: dict[str, Spec]) -> Spec:
    merged = copy.deepcopy(gateway)
    merged["info"] = {
        "title": "jiebang public API",
        "version": gateway.get("info", {}).get("version", "1.0.0"),
        "description": (
            "The one public entry of the jiebang platform (揭榜挂帅). Every path is served by the "
            "gateway; /api/v1/<segment> is routed to the service that owns it. Errors are "
            "application/problem+json (RFC 9457) with `code` and, for policy refusals, `clause`."
        ),
        "contact": {"name": "jiebang platform team", "email": "api@jiebang.example"},
        "license": {"name": "Proprietary", "identifier": "LicenseRef-jiebang-proprietary"},
    }
    merged["servers"] = SERVERS
    merged["security"] = [{"HTTPBearer": []}]
    schemas: dict[str, Any] = merged.setdefault("components", {}).setdefault("schemas", {})
    paths: dict[str, Any] = merged.setdefault("paths", {})
    for service, spec in sorted(services.items()):
        renames: dict[str, str] = {}
        for name, schema in spec.get("components", {}).get("schemas", {}).items():
            if name in schemas and json.dumps(schemas[name], sort_keys=True) != json.dumps(
                _rewrite_refs(schema, {}), sort_keys=True
            ):
                renames[name] = f"{service.capitalize()}{name}"
        rewritten = _rewrite_refs(spec, renames)
        for name, schema in rewritten.get("components", {}).get("schemas", {}).items():
            schemas.setdefault(renames.get(name, name), schema)
        for path, item in rewritten.get("paths", {}).items():
            paths[path] = item
        for scheme, value in rewritten.get("components", {}).get("securitySchemes", {}).items():
            merged["components"].setdefault("securitySchemes", {})[scheme] = value
    _declare_gateway_answers(paths)
    document(paths, _METHODS)
    merged["paths"] = dict(sorted(paths.items()))
    merged["tags"] = _declare_tags(merged["paths"])
    merged["components"]["schemas"] = dict(sorted(schemas.items()))
    merged["components"]["headers"] = HEADERS
    return merged
