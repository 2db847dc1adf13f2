"""The merged document's operationIds: ``<resource>_<action>``, unique, short, tags declared."""

import json
import re

from common.settings import ROOT

SPEC = json.loads((ROOT / "openapi" / "gateway.json").read_text(encoding="utf-8"))
METHODS = {"get", "put", "post", "delete", "patch"}
OPERATIONS = [
    (path, method, op)
    for path, item in SPEC["paths"].items()
    for method, op in item.items()
    if method in METHODS
]


def test_operation_ids_are_resource_action_and_unique() -> None:
    ids = [op["operationId"] for _, _, op in OPERATIONS]
    assert len(ids) == len(set(ids))
    for path, _, op in OPERATIONS:
        assert re.fullmatch(r"[a-z]+_[a-z_]+", op["operationId"]), (path, op["operationId"])
        assert op["operationId"].startswith(op["tags"][0] + "_"), (path, op["operationId"])
        assert len(op["operationId"]) <= 40
        assert "api_v1" not in op["operationId"]


def test_every_used_tag_is_declared_with_a_description() -> None:
    declared = {t["name"]: t["description"] for t in SPEC["tags"]}
    used = {tag for _, _, op in OPERATIONS for tag in op["tags"]}
    assert used <= set(declared)
    assert all(declared.values())
