"""Every error becomes an RFC 9457 problem details response; nothing leaks a stack trace."""

import logging
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

import allocation
import contracts
from pool.errors import (
    DomainError,
    FieldError,
    InvalidInput,
    NotFound,
    Overloaded,
    TooManyAttempts,
)
from pool.log_format import request_id_var
from pool.openapi import MEDIA_TYPE, FieldProblem, ProblemDetails
from pool.rendering import Phrase

log = logging.getLogger("patentpool.errors")
PROBLEM_TYPE_BASE = "https://patentpool.dev/problems/"
# What a URI path may hold besides letters, digits and "-._~" (RFC 3986 `pchar` and "/"): the
# decoded request path may hold anything, even control characters.
PATH_CHARACTERS = "/:@!$&'()*+,;="


def problem(
    request: Request[Any, Any, Any],
    *,
    status: int,
    title: str,
    slug: str,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[ProblemDetails]:
    """The one shape of every error answer: `pool.openapi.ProblemDetails`."""
    body: ProblemDetails = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": quote(request.url.path, safe=PATH_CHARACTERS),  # a URI reference
        "request_id": request_id_var.get(),
    }
    if errors:
        body["errors"] = [_fault(e) for e in errors]
    return Response(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _fault(error: FieldError) -> FieldProblem:
    fault: FieldProblem = {"message": error.message}
    if error.field is not None:
        fault["field"] = error.field
    if error.line is not None:
        fault["line"] = error.line
    if error.column is not None:
        fault["column"] = error.column
    return fault


def on_domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[ProblemDetails]:
    headers = (
        {"Retry-After": str(exc.retry_after_seconds)}
        if isinstance(exc, TooManyAttempts | Overloaded)
        else None
    )
    if exc.status_code == 401:
        headers = {"WWW-Authenticate": 'Bearer realm="patentpool"'}
    errors = exc.errors if isinstance(exc, InvalidInput) else None
    return problem(
        request,
        status=exc.status_code,
        title=exc.title,
        slug=exc.slug,
        detail=exc.detail,
        errors=errors,
        headers=headers,
    )


def _validation_errors(exc: ValidationException) -> list[FieldError]:
    extra = exc.extra if isinstance(exc.extra, list) else []
    return [
        FieldError(message=str(e.get("message", "invalid")), field=str(e.get("key", "")) or None)
        for e in extra
        if isinstance(e, dict)
    ]


def _nothing_at(exc: ValidationException) -> NotFound | None:
    """A path parameter out of its bounds (`pool.bounds`) names nothing that can exist: the
    same 404 as a missing object, never a 422 that would tell ids apart."""
    extra = exc.extra if isinstance(exc.extra, list) else []
    for e in extra:
        if isinstance(e, dict) and e.get("source") == "path":
            key = str(e.get("key", ""))
            what = key.removesuffix("_id").replace("_", " ") if key.endswith("_id") else ""
            return NotFound(Phrase("%(what)s not found", what=what) if what else "not found")
    return None


def on_http_exception(
    request: Request[Any, Any, Any], exc: HTTPException
) -> Response[ProblemDetails]:
    if isinstance(exc, ValidationException) and (missing := _nothing_at(exc)):
        return on_domain_error(request, missing)
    if isinstance(exc, ValidationException):
        errors = _validation_errors(exc)
        detail = "; ".join(f"{e.field}: {e.message}" if e.field else e.message for e in errors)
        return problem(
            request,
            status=422,
            title="Invalid input",
            slug="invalid-input",
            detail=detail or str(exc.detail),
            errors=errors,
        )
    headers = _sorted_allow(exc.headers or {}) if exc.status_code == 405 else exc.headers
    slug = {
        404: "not-found",
        405: "method-not-allowed",
        413: "payload-too-large",
        401: "unauthenticated",
    }.get(exc.status_code, "http-error")
    return problem(
        request,
        status=exc.status_code,
        title=_title(exc.status_code),
        slug=slug,
        detail=str(exc.detail),
        headers=headers,
    )


def _sorted_allow(headers: dict[str, str]) -> dict[str, str]:
    """A 405's `Allow`, the methods of the path, sorted: Litestar lists them in the order
    they were registered."""
    listed = {m.strip() for k, v in headers.items() if k.lower() == "allow" for m in v.split(",")}
    others = {k: v for k, v in headers.items() if k.lower() != "allow"}
    return {**others, "Allow": ", ".join(sorted(listed - {""}))}


def _title(status: int) -> str:
    from http import HTTPStatus

    return HTTPStatus(status).phrase


def on_allocation_error(
    request: Request[Any, Any, Any], exc: Exception
) -> Response[ProblemDetails]:
    path = getattr(exc, "path", None)
    errors = [FieldError(message=str(getattr(exc, "message", exc)), field=path)] if path else None
    return problem(
        request,
        status=422,
        title="Allocation input rejected",
        slug="allocation",
        detail=str(exc),
        errors=errors,
    )


def on_contracts_error(
    request: Request[Any, Any, Any], exc: contracts.ContractsError
) -> Response[ProblemDetails]:
    """`contracts` refused terms, a report or an offer that no service mapped first: usually
    terms stored before a rule was added. Every fault is listed with its path (`$.` dropped,
    as services do), so it is a clear 422 rather than a 500."""
    errors = [FieldError(message=m, field=p.removeprefix("$.") or None) for p, m in exc.problems]
    return problem(
        request,
        status=422,
        title="Rejected by the contract rules",
        slug="contracts",
        detail=str(exc),
        errors=errors,
    )


def on_integrity_error(request: Request[Any, Any, Any], exc: Exception) -> Response[ProblemDetails]:
    """A unique constraint lost a race the service's own checks could not see: retry-able."""
    log.warning("integrity error", exc_info=exc)
    return problem(
        request,
        status=409,
        title="Conflict",
        slug="conflict",
        detail="a concurrent change conflicted with this one; nothing was saved, retry",
    )


def on_operational_error(
    request: Request[Any, Any, Any], exc: Exception
) -> Response[ProblemDetails]:
    """The database did not answer within a bound (no pooled connection in time, a lock or
    statement timeout, SQLite busy) or not at all: 503, retry-able; the transaction rolled
    back."""
    log.warning("database unavailable: %s", str(exc).splitlines()[0] if str(exc) else exc)
    return problem(
        request,
        status=503,
        title="Service unavailable",
        slug="unavailable",
        detail="the database is busy or unreachable; nothing was saved, retry",
        headers={"Retry-After": "1"},
    )


def on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[ProblemDetails]:
    log.error("unhandled error", exc_info=exc)
    return problem(
        request,
        status=500,
        title="Internal server error",
        slug="internal",
        detail="an unexpected error occurred; it has been logged with this request id",
    )


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    DomainError: on_domain_error,
    HTTPException: on_http_exception,
    allocation.AllocationError: on_allocation_error,
    contracts.ContractsError: on_contracts_error,
    IntegrityError: on_integrity_error,
    OperationalError: on_operational_error,
    PoolTimeout: on_operational_error,
    Exception: on_unexpected,
}
