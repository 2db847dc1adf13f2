"""Readable, stable operationIds, ``<resource>_<action>``, made in one place for every app.

Generated clients name their functions after the operationId, so it is part of the contract:
``demands_submit``, not FastAPI's ``submit_demand_api_v1_demands__demand_id__submit_post``.
The resource is the operation's first tag; the action is the route function's name without the
resource's own word (``submit_demand`` under ``demands`` → ``demands_submit``). A route that
needs another name passes ``operation_id=`` explicitly; ``tests/foundation/test_openapi_ids.py``
keeps them unique across the merged document.
"""

from fastapi.routing import APIRoute


def singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def operation_id(route: APIRoute) -> str:
    resource = str(route.tags[0]) if route.tags else "platform"
    own_words = {resource, singular(resource)}
    words = route.name.split("_")
    action = [w for w in words if w not in own_words]
    if action == ["get"] and resource in words:  # get_results: the list, not one
        action = ["list"]
    return f"{resource}_{'_'.join(action) or route.name}"
