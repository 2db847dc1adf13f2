"""Codes a city's rule set defines (result bands, demand categories) as enums in the document.

They are configuration, not code, so they cannot be a ``Literal``; the document lists every code
of the rule sets loaded when it is made (``make openapi``), so a typed client knows them too. A
new city with a new code changes the document, which ``make openapi-check`` then asks for.
"""

from typing import Any

from common.rulesets.registry import RuleSetRegistry


def ruleset_codes(registry: RuleSetRegistry) -> dict[str, list[str]]:
    rulesets = registry.cities()
    return {
        "band": sorted({b.code for r in rulesets for b in r.review.bands}),
        "category": sorted({c.code for r in rulesets for c in r.categories}),
    }


def add_ruleset_enums(spec: dict[str, Any], registry: RuleSetRegistry) -> dict[str, Any]:
    """Answer schemas only (``…Read``, ``…Line``): what a request may send is checked by the
    rule set of the caller's city, with its clause, not by the document."""
    codes = ruleset_codes(registry)
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        if not name.endswith(("Read", "Line")):
            continue
        for field, prop in (schema.get("properties") or {}).items():
            if field not in codes:
                continue
            for target in [prop, *prop.get("anyOf", [])]:
                if target.get("type") == "string":
                    target["enum"] = codes[field]
    return spec
