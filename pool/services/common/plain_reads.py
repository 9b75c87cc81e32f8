"""A read that does not care where it runs: one SQL query of plain columns, and what its rows
mean. The same read runs in a request's session (`run_in`) or on the event loop without a
thread (`pool.loop_reads`), so the hottest reads (a caller's token, a contributor's statement)
are written once: the query, the checks and the answer live in the service.

A `ScopedRead`'s answer also depends on who asks (what a contributor may see). On the event
loop it runs in the same query as the caller's token check (`pool.loop_reads`): one round trip
for an authenticated, tenant-scoped read."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeAlias, TypeVar

from sqlalchemy import Select
from sqlmodel import Session

from pool.auth import Principal

T = TypeVar("T")
# a SELECT of any columns (SQLAlchemy types a Select by the tuple of its columns)
AnySelect: TypeAlias = Select[*tuple[Any, ...]]
Rows = Sequence[Sequence[Any]]


@dataclass(frozen=True)
class PlainRead(Generic[T]):
    """`query` with `params`; `answer` turns its rows (tuples, in the order of the query's
    columns, typed as SQLAlchemy would type them) into the result or raises (404, 401).

    The query selects plain columns only (no ORM entities) and is built once, at import: it is
    compiled once per database and the compiled form is kept by its identity."""

    query: AnySelect
    params: Mapping[str, Any]
    answer: Callable[[Rows], T]


@dataclass(frozen=True)
class ScopedRead(Generic[T]):
    """As `PlainRead`, but `answer` also takes the caller, to check what it may see (404 for
    another tenant's object). Run as a subquery beside the caller's token check, so `answer`
    must not rely on the order of the rows, and the query's parameter names must not be the
    token check's (`hash`)."""

    query: AnySelect
    params: Mapping[str, Any]
    answer: Callable[[Principal, Rows], T]

    def by(self, principal: Principal) -> PlainRead[T]:
        """The read for a caller already authenticated (in a session)."""
        return PlainRead(self.query, self.params, lambda rows: self.answer(principal, rows))


def run_in(session: Session, read: PlainRead[T]) -> T:
    """In the request's own transaction (as any other query of the handler)."""
    rows = session.connection().execute(read.query, dict(read.params)).all()
    return read.answer(rows)


def column_keys(query: AnySelect) -> tuple[str, ...]:
    """The names of a query's columns, in order (an answer maps its tuples with them)."""
    return tuple(str(column.key) for column in query.selected_columns)
