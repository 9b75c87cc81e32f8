"""Service-level domain errors; `pool.problems` maps them (and the packages' own) to RFC 9457."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One thing wrong with the input: a field (dotted path) or a CSV line and column."""

    message: str
    field: str | None = None
    line: int | None = None
    column: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class DomainError(Exception):
    status_code = 400
    title = "Bad request"
    slug = "bad-request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    """Also raised for objects outside the caller's scope: we never confirm they exist."""

    status_code = 404
    title = "Not found"
    slug = "not-found"


class Forbidden(DomainError):
    status_code = 403
    title = "Forbidden"
    slug = "forbidden"


class Conflict(DomainError):
    status_code = 409
    title = "Conflict"
    slug = "conflict"


class IllegalTransition(Conflict):
    title = "Illegal state transition"
    slug = "illegal-transition"


class PayloadTooLarge(DomainError):
    status_code = 413
    title = "Payload too large"
    slug = "payload-too-large"


class TooManyAttempts(DomainError):
    status_code = 429
    title = "Too many attempts"
    slug = "too-many-attempts"

    def __init__(self, detail: str, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds


class Overloaded(DomainError):
    """No capacity within a bounded wait (database slots, a lock, the connection pool):
    nothing was done, and the caller may retry after `retry_after_seconds`."""

    status_code = 503
    title = "Service unavailable"
    slug = "unavailable"

    def __init__(self, detail: str, retry_after_seconds: int = 1) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds


class Unauthenticated(DomainError):
    status_code = 401
    title = "Authentication required"
    slug = "unauthenticated"


class InvalidInput(DomainError):
    """Input that parsed but breaks a rule; lists every fault found, not just the first."""

    status_code = 422
    title = "Invalid input"
    slug = "invalid-input"

    def __init__(self, detail: str, errors: list[FieldError]) -> None:
        super().__init__(detail)
        self.errors = errors

    @classmethod
    def field(cls, field: str, message: str) -> "InvalidInput":
        return cls(f"{field}: {message}", [FieldError(message=message, field=field)])


class NoCjkFont(DomainError):
    """A Chinese PDF would render without Chinese glyphs (no CJK font): nothing is stored
    (pool.services.statements.fonts)."""

    status_code = 503
    title = "Service unavailable"
    slug = "no-cjk-font"
