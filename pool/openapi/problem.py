"""The problem-details body of every error the API answers (RFC 9457), as one type: the code
that builds it (`pool.problems`) is checked against it by mypy, and the OpenAPI document
names it as the `ProblemDetails` component of every error response."""

from collections.abc import Iterable, Mapping
from typing import Annotated, NotRequired, TypedDict

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIFormat
from litestar.params import KwargDefinition

MEDIA_TYPE = "application/problem+json"


class FieldProblem(TypedDict):
    """One thing wrong with the input: a field, or a CSV line and column."""

    message: Annotated[str, KwargDefinition(description="what is wrong")]
    field: NotRequired[
        Annotated[str, KwargDefinition(description="the field (a dotted path) or parameter")]
    ]
    line: NotRequired[Annotated[int, KwargDefinition(ge=1, description="CSV line (header: 1)")]]
    column: NotRequired[Annotated[str, KwargDefinition(description="CSV column")]]


class ProblemDetails(TypedDict):
    """RFC 9457 problem details, with the request id and, for invalid input, every fault."""

    type: Annotated[
        str, KwargDefinition(format=OpenAPIFormat.URI, description="what kind of problem")
    ]
    title: Annotated[str, KwargDefinition(description="short summary of the kind")]
    status: Annotated[int, KwargDefinition(ge=400, le=599, description="the HTTP status")]
    detail: Annotated[str, KwargDefinition(description="what went wrong with this request")]
    instance: Annotated[
        str, KwargDefinition(format=OpenAPIFormat.URI_REFERENCE, description="the request path")
    ]
    request_id: Annotated[
        str | None, KwargDefinition(description="the X-Request-ID, also in the server's log")
    ]
    errors: NotRequired[
        Annotated[list[FieldProblem], KwargDefinition(description="every fault in the input")]
    ]


# What each status means wherever the API answers it.
MEANINGS = {
    400: "The body could not be read: not JSON (or not the multipart form), or nested too deep.",
    401: "No valid bearer token: missing, unknown, expired or revoked.",
    403: "The caller's role may not do this to an object it may see.",
    404: "No such object, or not the caller's to see (the API never tells which); an id "
    "outside 1 to 2^31-1 names nothing.",
    409: "The object's state does not allow this now, or a concurrent change conflicted; "
    "nothing was saved.",
    413: "The body is larger than the server accepts (PATENTPOOL_MAX_UPLOAD_BYTES).",
    422: "The input breaks a rule: `errors` lists every fault, naming the field, or the CSV "
    "line and column.",
    429: "Too many failed logins: wait for `Retry-After` seconds.",
    503: "The database is busy or unreachable: nothing was saved; retry after `Retry-After`.",
}


def problem_responses(
    statuses: Iterable[int], meanings: Mapping[int, str] | None = None
) -> dict[int, ResponseSpec]:
    """The documented error responses for `statuses`: a problem document each, described by
    `MEANINGS` unless the operation says better (`meanings`)."""
    said = {**MEANINGS, **(meanings or {})}
    return {
        status: ResponseSpec(
            ProblemDetails, description=said[status], media_type=MEDIA_TYPE, generate_examples=False
        )
        for status in statuses
    }
