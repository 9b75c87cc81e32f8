"""What a handler cannot tell Litestar, finished on the generated document in one place:
only the error responses the API declares (Litestar adds its own 400 shape to every operation
with parameters, which the API never sends), the headers that come with some errors, no
bearer token on the operations that need none, the CSV bodies of uploads and the formats of
downloads."""

from collections.abc import Sequence

from litestar.handlers import HTTPRouteHandler
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)

from pool.openapi.kinds import Kind

# `opt` of a handler answering files: the media types of its 200 answer.
RESPONSE_MEDIA_TYPES = "response_media_types"
# `opt` of a handler reading a raw body: its media type (the CSV uploads).
REQUEST_BODY_MEDIA_TYPE = "request_body_media_type"

_TEXT = Schema(type=OpenAPIType.STRING)
_BINARY = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
_HEADERS = {
    401: ("WWW-Authenticate", 'how to authenticate: `Bearer realm="patentpool"`'),
    429: ("Retry-After", "seconds to wait before trying again"),
    503: ("Retry-After", "seconds to wait before trying again"),
}


def finish(operation: Operation, handler: HTTPRouteHandler, kind: Kind) -> None:
    """Make one generated operation say what its handler answers."""
    declared = {str(status) for status in handler.responses or {}}
    responses = operation.responses or {}
    for undeclared in [s for s in responses if int(s) >= 400 and s not in declared]:
        del responses[undeclared]
    for status, (name, meaning) in _HEADERS.items():
        if isinstance(response := responses.get(str(status)), OpenAPIResponse):
            response.headers = {**(response.headers or {}), name: _header(meaning)}
    if not kind.authenticated:
        operation.security = [{}]  # anyone may call it, without a token
    if kind.raw_body and (media_type := handler.opt.get(REQUEST_BODY_MEDIA_TYPE)):
        content = {media_type: OpenAPIMediaType(schema=_TEXT)}
        operation.request_body = RequestBody(content=content, required=True)
    if media_types := handler.opt.get(RESPONSE_MEDIA_TYPES):
        _files(operation, media_types)


def _header(meaning: str) -> OpenAPIHeader:
    return OpenAPIHeader(schema=_TEXT, description=meaning)


def _files(operation: Operation, media_types: Sequence[str]) -> None:
    ok = (operation.responses or {}).get("200")
    if isinstance(ok, OpenAPIResponse):
        schema = {True: _TEXT, False: _BINARY}
        ok.content = {
            t: OpenAPIMediaType(schema=schema[t.startswith("text/")]) for t in media_types
        }
