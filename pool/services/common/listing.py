"""Lists that narrow, sort and page (issue 17): a validated `ListQuery` (search text, named
filters, a sort key, a page) applied to a select by `run`, so every administrator's list
searches, sorts, counts and pages the same way, and its CSV export reads exactly the rows the
screen filtered (every page).

A service builds its select with its own filters (it knows what `state` or `pool` means), then
hands it to `run` with the columns `q` searches and the columns each sort key orders by.
Unknown sort keys fall back to the default; ties are broken by id, so pages never overlap.

An export (`export`) reads only the matching ids, in order, in the request; its rows are read
and converted a batch at a time while the CSV is streamed (`Export`), each batch in a short
session of its own, so neither memory nor the first byte grows with the list."""

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, String, cast, func, or_
from sqlmodel import Session
from sqlmodel.sql.expression import SelectOfScalar

from pool.models.integers import MAX_ID
from pool.services.common.pages import Page, converted, paginate

T = TypeVar("T")
LIKE_ESCAPE = "\\"


@dataclass(frozen=True)
class ListQuery:
    """What a list shows: `q` (searched case-insensitively), filters by name (already
    validated: only known names with allowed values), `sort` (a key; `descending` for `-key`),
    `page` (from 1) of `per_page` rows; `per_page=None` is every row (an export)."""

    q: str = ""
    filters: Mapping[str, str] = field(default_factory=dict)
    sort: str = ""
    descending: bool = False
    page: int = 1
    per_page: int | None = 50

    def filter(self, name: str) -> str | None:
        return self.filters.get(name) or None

    def whole(self) -> "ListQuery":
        """The same list, every page (what a CSV export holds)."""
        return replace(self, page=1, per_page=None)


def is_id(text: str) -> bool:
    """Digits naming a possible id (in range for every database's id columns)."""
    return text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID


def like_pattern(text: str) -> str:
    """`%text%` with LIKE's own characters (`%`, `_` and the escape) taken literally."""
    escaped = (
        text.lower()
        .replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"


def searched(
    query: SelectOfScalar[Any], text: str, columns: Sequence[Any], also: Sequence[Any] = ()
) -> SelectOfScalar[Any]:
    """Rows where any of `columns` contains `text`, ignoring case, or any `also` condition
    holds (an exact reference); no text: unchanged."""
    text = text.strip()
    if not text or not (columns or also):
        return query
    pattern = like_pattern(text)
    return query.where(
        or_(*(func.lower(column).like(pattern, escape=LIKE_ESCAPE) for column in columns), *also)
    )


def ordered(
    query: SelectOfScalar[Any],
    spec: ListQuery,
    *,
    sorts: Mapping[str, Sequence[Any]],
    default: str,
    tie_break: Any,
) -> SelectOfScalar[Any]:
    """Order by the sort key's columns (`default` for an unknown key), then by `tie_break`."""
    if spec.sort in sorts:
        key, descending = spec.sort, spec.descending
    else:
        key, descending = default.removeprefix("-"), default.startswith("-")
    columns = [*sorts[key], tie_break]
    return query.order_by(None).order_by(
        *(column.desc() if descending else column.asc() for column in columns)
    )


def run(
    session: Session,
    query: SelectOfScalar[Any],
    spec: ListQuery,
    *,
    search: Sequence[Any],
    also: Sequence[Any] = (),
    sorts: Mapping[str, Sequence[Any]],
    default: str,
    tie_break: Any,
    convert: Callable[[Any], T] | None = None,
    convert_all: Callable[[Sequence[Any]], list[T]] | None = None,
) -> Page[T]:
    """Search, order and page `query` as `spec` says; the total counts every matching row.
    Rows become items by `convert`, or a page's rows at once by `convert_all`."""
    query = searched(query, spec.q, search, also)
    query = ordered(query, spec, sorts=sorts, default=default, tie_break=tie_break)
    if spec.per_page is None:
        items = converted(session.exec(query).all(), convert, convert_all)
        return Page[T](items=items, total=len(items), limit=len(items), offset=0)
    offset = (max(spec.page, 1) - 1) * spec.per_page
    return paginate(
        session, query, limit=spec.per_page, offset=offset, convert=convert,
        convert_all=convert_all,
    )  # fmt: skip


EXPORT_BATCH = 500


@dataclass(frozen=True)
class Export(Generic[T]):
    """Every filtered row of a list, in the list's order: the ids were read when the export
    was asked for; iterating reads their rows `batch` at a time (`load`: the converted rows of
    some ids, by id), each batch in its own session on `engine`. A row deleted meanwhile is
    left out; nothing that did not match is added."""

    ids: list[int]
    load: Callable[[Session, list[int]], Mapping[int, T]]
    engine: Engine
    batch: int = EXPORT_BATCH

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[T]:
        for start in range(0, len(self.ids), self.batch):
            chunk = self.ids[start : start + self.batch]
            with Session(self.engine) as session:
                found = self.load(session, chunk)
            yield from (found[one] for one in chunk if one in found)


def export(
    session: Session,
    query: SelectOfScalar[Any],
    spec: ListQuery,
    *,
    search: Sequence[Any],
    also: Sequence[Any] = (),
    sorts: Mapping[str, Sequence[Any]],
    default: str,
    tie_break: Any,
    load: Callable[[Session, list[int]], Mapping[int, T]],
) -> Export[T]:
    """`run`'s rows, every page, for a CSV: only the ids are read now (`tie_break` is the id
    column), the rows when the export is iterated."""
    query = searched(query, spec.q, search, also)
    query = ordered(query, spec, sorts=sorts, default=default, tie_break=tie_break)
    ids = [int(one) for one in session.scalars(query.with_only_columns(tie_break))]
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    return Export(ids=ids, load=load, engine=engine)


def page_of_rows(found: Sequence[T], spec: ListQuery) -> Page[T]:
    """One page of rows filtered and sorted in Python (states the position service computes)."""
    if spec.per_page is None:
        return Page[T](items=list(found), total=len(found), limit=len(found), offset=0)
    offset = (max(spec.page, 1) - 1) * spec.per_page
    items = list(found[offset : offset + spec.per_page])
    return Page[T](items=items, total=len(found), limit=spec.per_page, offset=offset)


def holds_text(column: Any, value: str) -> Any:
    """A JSON list column holding the string `value` exactly (its JSON text contains
    `"value"`): the same test on SQLite and PostgreSQL, no JSON operators needed."""
    quoted = json.dumps(value, ensure_ascii=False)
    escaped = (
        quoted.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return cast(column, String).like(f"%{escaped}%", escape=LIKE_ESCAPE)
