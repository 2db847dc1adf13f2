"""One OpenAPI 3.1 document for integrators: the gateway's own routes plus every service's.

Component schemas that two services name alike but define differently are renamed with the
service's prefix, and that service's references are rewritten to match.
"""

import copy
import json
from typing import Any

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


def _declare_gateway_answers(paths: dict[str, Any]) -> None:
    for item in paths.values():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            answers = GATEWAY_STATUSES | (WRITE_STATUSES if method != "get" else {})
            for status, description in answers.items():
                responses.setdefault(status, _problem(description))


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
    }
    schemas: dict[str, Any] = merged.setdefault("components", {}).setdefault("schemas", {})
    paths: dict[str, Any] = merged.setdefault("paths", {})
    tags: list[dict[str, Any]] = merged.setdefault("tags", [])
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
        tags.append({"name": service, "description": f"served by the {service} service"})
        for scheme, value in rewritten.get("components", {}).get("securitySchemes", {}).items():
            merged["components"].setdefault("securitySchemes", {})[scheme] = value
    _declare_gateway_answers(paths)
    merged["paths"] = dict(sorted(paths.items()))
    merged["components"]["schemas"] = dict(sorted(schemas.items()))
    return merged
