"""Fault injection for the reliability tests — active only with ``JIEBANG_ENV=test`` *and*
``JIEBANG_FAULTS_FILE`` naming a JSON file, read on every request so a test changes the faults
of running processes without restarting them::

    {"fail_commit": ["POST /api/v1/decisions"],   # the transaction fails at its commit
     "refuse": ["<text in the body>"]}            # 422 for any write whose body contains it

A commit made to fail raises what a connection lost at COMMIT raises (``OperationalError``),
so the request answers 503 ``db.unavailable`` and nothing of it is kept.
"""

import json
from typing import Any

from fastapi import Request
from sqlalchemy.exc import OperationalError

from common.errors import Unprocessable


def _faults(request: Request) -> dict[str, Any]:
    settings = request.app.state.settings
    path = settings.faults_file
    if settings.env != "test" or path is None:
        return {}
    try:
        data = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


async def before_commit(request: Request) -> None:
    if f"{request.method} {request.url.path}" in _faults(request).get("fail_commit", []):
        raise OperationalError(
            "COMMIT", {}, ConnectionResetError("fault injected: the commit failed")
        )


async def refuse(request: Request) -> None:
    """An app-wide dependency (test mode with a faults file only)."""
    refused = _faults(request).get("refuse", [])
    if refused and request.method != "GET":
        body = (await request.body()).decode(errors="replace")
        if any(text in body for text in refused):
            raise Unprocessable("Refused by an injected fault", code="fault.refused")
