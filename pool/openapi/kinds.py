"""Which errors an operation can answer follows from what kind of operation it is, so the rule
is written once, here, for all of them: a new endpoint is documented like its peers.
tests/pool/api_contract checks it against every status the authorization tables saw."""

from collections.abc import Iterable
from dataclasses import dataclass

from litestar.handlers import HTTPRouteHandler

# `opt` of the controllers for the caller's own sign-in, profile and tokens: whoever holds a
# token may use them (no 403) and they reach nothing of anyone else's (no 404 but for an id
# in the path).
OWN_ACCOUNT = "own_account"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Handler parameters that are neither dependencies nor query, header or path parameters.
_RESERVED = frozenset(
    {"data", "body", "request", "state", "scope", "headers", "cookies", "query", "socket"}
)


@dataclass(frozen=True)
class Kind:
    """What the errors of an operation depend on, read off its handler's signature."""

    writes: bool  # POST, PUT, PATCH, DELETE
    json_body: bool  # `data`: a JSON document, or a multipart form (an evidence upload)
    raw_body: bool  # `body`: a CSV upload
    authenticated: bool  # takes the caller: `principal`, or `reads` on the event loop
    own_account: bool
    path_ids: bool  # path parameters: it names an object
    parameters: bool  # query or header parameters
    database: bool  # a database slot (`db`) or a read on the event loop (`reads`)

    @classmethod
    def of(cls, handler: HTTPRouteHandler, path_parameters: Iterable[str]) -> "Kind":
        params = set(handler.parsed_fn_signature.parameters)
        path = set(path_parameters)
        others = params - set(handler.resolve_dependencies()) - _RESERVED - path
        return cls(
            writes=not handler.http_methods <= SAFE_METHODS,
            json_body="data" in params,
            raw_body="body" in params,
            authenticated=bool({"principal", "reads"} & params),
            own_account=bool(handler.opt.get(OWN_ACCOUNT)),
            path_ids=bool(path),
            parameters=bool(others),
            database=bool({"db", "reads"} & params),
        )

    def error_statuses(self) -> list[int]:
        """Every error status an operation of this kind can answer, each with its reason."""
        body = self.json_body or self.raw_body
        scoped = self.authenticated and not self.own_account
        holds = {
            400: self.json_body,  # not JSON, or nested too deep (pool.bounds)
            401: self.authenticated,
            403: scoped,  # a role refused an action, or an area (licensees: statements)
            404: self.path_ids or scoped,  # others' objects and areas do not exist for them
            409: self.writes,  # a state that forbids it, or a concurrent change
            413: body,
            422: body or self.parameters or (scoped and self.writes),  # rules of the domain
            503: self.database,  # no database slot in time, a lock or statement timeout
        }
        return [status for status, applies in holds.items() if applies]
