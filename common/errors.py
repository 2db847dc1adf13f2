"""RFC 9457 problem details: one base error, one set of handlers, one schema for OpenAPI.

Every refusal a user can meet is a ``JiebangError`` carrying its HTTP status, a stable ``code``
and, when a city's policy refused the request, the ``clause`` of the policy text.
"""

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from common.problem_zh import TITLES_ZH, detail_zh_for, fields_zh, language_var
from common.retry import CONFLICT_STATES, note_conflict

log = logging.getLogger("jiebang.errors")
PROBLEM_JSON = "application/problem+json"
_UNPARSABLE_BODY = "There was an error parsing the body"


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="Where the bad value is, e.g. ['body', 'title']")
    msg: str
    type: str


class RuleViolationItem(BaseModel):
    code: str
    clause: str | None = None
    detail: str
    detail_zh: str | None = None


class Problem(BaseModel):
    """application/problem+json body (RFC 9457) with jiebang's extension members."""

    type: str = "about:blank"
    title: str = Field(description="The status phrase, in Chinese for Accept-Language: zh")
    status: int
    detail: str = Field(description="What went wrong, in the caller's language")
    instance: str | None = None
    code: str = Field(description="Stable machine-readable code, e.g. demand.not_found")
    clause: str | None = Field(None, description="The policy clause behind a rule refusal")
    detail_zh: str = Field(description="What went wrong, in Chinese (always present)")
    errors: list[FieldError] | list[RuleViolationItem] | None = None
    request_id: str | None = None


class JiebangError(Exception):
    status: int = 500
    code: str = "internal"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        clause: str | None = None,
        detail_zh: str | None = None,
        errors: Sequence[BaseModel] | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code or type(self).code
        self.clause = clause
        self.detail_zh = detail_zh
        self.errors = list(errors) if errors else None
        self.status = status or type(self).status
        self.headers = headers

    def to_problem(self, request_id: str | None = None) -> Problem:
        """In the caller's language (``Accept-Language``); ``detail_zh`` is always there."""
        detail_zh = self.detail_zh or detail_zh_for(self.code, self.status)
        chinese = language_var.get() == "zh"
        title = HTTPStatus(self.status).phrase
        return Problem(
            type=f"https://jiebang.example/problems/{self.code}",
            title=TITLES_ZH.get(self.status, title) if chinese else title,
            status=self.status,
            detail=detail_zh if chinese else self.detail,
            code=self.code,
            clause=self.clause,
            detail_zh=detail_zh,
            errors=self.errors,
            request_id=request_id,
        )


class BadRequest(JiebangError):
    status, code = 400, "request.bad"


class Unauthorized(JiebangError):
    status, code = 401, "auth.unauthorized"

    def __init__(self, detail: str = "A valid bearer token is required", **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kw)


class Forbidden(JiebangError):
    status, code = 403, "auth.forbidden"


class NotFound(JiebangError):
    status, code = 404, "not_found"


class Conflict(JiebangError):
    status, code = 409, "conflict"


class PayloadTooLarge(JiebangError):
    status, code = 413, "request.too_large"


class UnsupportedMediaType(JiebangError):
    status, code = 415, "request.unsupported_media_type"


class RangeNotSatisfiable(JiebangError):
    status, code = 416, "request.range_not_satisfiable"


class Unprocessable(JiebangError):
    status, code = 422, "request.invalid"


class RuleViolation(JiebangError):
    """A city's rule refused the request; ``errors`` lists every violated rule."""

    status, code = 422, "ruleset.violation"

    @classmethod
    def of(cls, violations: Sequence[RuleViolationItem]) -> "RuleViolation":
        first = violations[0]
        detail = first.detail if len(violations) == 1 else "; ".join(v.detail for v in violations)
        return cls(
            detail,
            code=first.code,
            clause=first.clause,
            detail_zh=first.detail_zh,
            errors=violations,
        )


class TooManyRequests(JiebangError):
    status, code = 429, "request.rate_limited"


class ServiceUnavailable(JiebangError):
    status, code = 503, "service.unavailable"


class BadGateway(JiebangError):
    status, code = 502, "service.bad_gateway"


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: the problem schema under each status it can answer."""
    return {
        s: {
            "model": Problem,
            "description": HTTPStatus(s).phrase,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for s in statuses
    }


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(JiebangError)
    async def _jiebang(request: Request, exc: JiebangError) -> JSONResponse:
        return problem_response(exc.to_problem(_request_id(request)), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            FieldError(
                loc=[p if isinstance(p, int) else str(p) for p in e.get("loc", ())],
                msg=str(e.get("msg", "")),
                type=str(e.get("type", "")),
            )
            for e in exc.errors()
        ]
        err = Unprocessable(
            "The request does not match the schema: "
            + "; ".join(f"{'.'.join(map(str, fe.loc))}: {fe.msg}" for fe in errors[:5]),
            code="request.validation",
            detail_zh=fields_zh((".".join(map(str, fe.loc)), fe.type) for fe in errors[:5]),
            errors=errors,
        )
        return problem_response(err.to_problem(_request_id(request)))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = exc.status_code
        if status == 400 and exc.detail == _UNPARSABLE_BODY:
            # FastAPI's 400 for a body that is not UTF-8: the same 422 as any other bad JSON,
            # so every operation answers the statuses its OpenAPI document declares.
            bad = Unprocessable(
                "The request body is not valid JSON (UTF-8)",
                code="request.validation",
                errors=[
                    FieldError(loc=["body"], msg="Body is not UTF-8 JSON", type="json_invalid")
                ],
            )
            return problem_response(bad.to_problem(_request_id(request)))
        code = {404: "not_found", 405: "method_not_allowed"}.get(status, f"http.{status}")
        err = JiebangError(str(exc.detail), code=code, status=status)
        return problem_response(err.to_problem(_request_id(request)), dict(exc.headers or {}))

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        log.warning("integrity error", extra={"error": str(exc.orig)[:300]})
        err = Conflict("The change conflicts with existing data", code="conflict.integrity")
        return problem_response(err.to_problem(_request_id(request)))

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(ConnectionError)
    @app.exception_handler(OSError)
    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.error("database unavailable", extra={"error": str(exc)[:300]})
        err = ServiceUnavailable("The database is unavailable; retry later", code="db.unavailable")
        return problem_response(err.to_problem(_request_id(request)), {"Retry-After": "2"})

    @app.exception_handler(DBAPIError)
    async def _dbapi(request: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated or _server_unavailable(exc):
            return await _unavailable(request, exc)
        if _sqlstate(exc) in CONFLICT_STATES:
            note_conflict()  # common.retry runs the request again when that is safe
            log.warning("database conflict", extra={"sqlstate": _sqlstate(exc)})
            busy = ServiceUnavailable("The change met a concurrent one; retry", code="db.conflict")
            return problem_response(busy.to_problem(_request_id(request)), {"Retry-After": "1"})
        log.exception("database error")
        err = JiebangError("Internal error", code="internal")
        return problem_response(err.to_problem(_request_id(request)))

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"path": request.url.path})
        err = JiebangError("Internal error", code="internal")
        return problem_response(err.to_problem(_request_id(request)))


def _sqlstate(exc: DBAPIError) -> str:
    """asyncpg's SQLSTATE, on the error or (through SQLAlchemy's adaptation) its cause."""
    for err in (exc.orig, getattr(exc.orig, "__cause__", None)):
        state = getattr(err, "sqlstate", None)
        if state:
            return str(state)
    return ""


def _server_unavailable(exc: DBAPIError) -> bool:
    """SQLSTATE class 08 (connection exception) and 57P (the server is shutting down, crashed or
    still starting: "cannot connect now"): the database restarts, the request may be retried."""
    return _sqlstate(exc).startswith(("08", "57P"))
