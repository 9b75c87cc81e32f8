"""A list's query string, read and validated: `q`, the list's named filters, `sort` (a known
column key, `-` first for descending) and `page`. What is not understood is dropped (the
default applies), so a hand-edited or stale link shows a list, never an error page."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Request

from pool.services.common.listing import ListQuery, is_id

MAX_TEXT = 100
MAX_PAGE = 100_000
KINDS = ("choice", "id", "year", "day", "text", "yes")


@dataclass(frozen=True)
class Filter:
    """A named filter: `choice` (one of `choices`), `id` (a positive id), `year`, `day`
    (ISO date), `text` (at most 100 characters) or `yes` (the word `yes`)."""

    name: str
    kind: str = "choice"
    choices: tuple[str, ...] = ()

    def clean(self, raw: str) -> str | None:
        value = raw.strip()
        if not value:
            return None
        checks = {
            "choice": lambda: value in self.choices,
            "id": lambda: is_id(value),
            "year": lambda: value.isascii() and value.isdigit() and 1900 <= int(value) <= 2999,
            "day": lambda: _is_day(value),
            "text": lambda: len(value) <= MAX_TEXT,
            "yes": lambda: value == "yes",
        }
        return value if checks[self.kind]() else None


def _is_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


@dataclass(frozen=True)
class ListSpec:
    """What a list understands: its filters, its sort keys and default sort (`-key` for
    descending), and how many rows a page holds."""

    filters: tuple[Filter, ...]
    sorts: tuple[str, ...]
    default_sort: str
    per_page: int = 50


def _number(raw: str | None) -> int:
    if raw and raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_PAGE:
        return int(raw)
    return 1


@dataclass(frozen=True)
class ListView:
    """The list as the page shows it, and its links: each keeps the search and every filter."""

    spec: ListSpec
    query: ListQuery
    path: str
    csv: bool = False
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def sort_param(self) -> str:
        if not self.query.sort:
            return ""
        return ("-" if self.query.descending else "") + self.query.sort

    def params(self, **changes: Any) -> dict[str, str]:
        """The query string as a dict, with `changes` (None removes a parameter)."""
        found: dict[str, Any] = {"q": self.query.q, **self.query.filters, **self.extra}
        found.update(sort=self.sort_param, page=self.query.page if self.query.page > 1 else "")
        found.update(changes)
        return {name: str(value) for name, value in found.items() if value not in (None, "")}

    def href(self, **changes: Any) -> str:
        query = urlencode(self.params(**changes))
        return self.path + (f"?{query}" if query else "")

    def page_href(self, number: int) -> str:
        return self.href(page=number if number > 1 else None)

    def csv_href(self) -> str:
        return self.href(page=None, format="csv")

    def current_sort(self) -> tuple[str, bool]:
        if self.query.sort:
            return self.query.sort, self.query.descending
        return self.spec.default_sort.removeprefix("-"), self.spec.default_sort.startswith("-")

    def sort_href(self, key: str) -> str:
        """Sort by `key`; the column sorted now turns the other way. Back to the first page."""
        current, descending = self.current_sort()
        wanted = f"-{key}" if current == key and not descending else key
        return self.href(sort=wanted, page=None)

    def aria_sort(self, key: str) -> str:
        current, descending = self.current_sort()
        if current != key:
            return "none"
        return "descending" if descending else "ascending"

    def pages(self, total: int) -> dict[str, int | None]:
        per_page = self.query.per_page or max(total, 1)
        last = max((total + per_page - 1) // per_page, 1)
        number = self.query.page
        return {
            "number": number,
            "last": last,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < last else None,
        }


def read_list(
    request: Request[Any, Any, Any], spec: ListSpec, *, extra: Mapping[str, str] | None = None
) -> ListView:
    """The request's list query; `?format=csv` asks for every filtered row."""
    params = request.query_params
    filters = {}
    for one in spec.filters:
        value = one.clean(str(params.get(one.name) or ""))
        if value is not None:
            filters[one.name] = value
    sort = str(params.get("sort") or "").strip()
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    if key not in spec.sorts:
        key, descending = "", False
    query = ListQuery(
        q=str(params.get("q") or "").strip()[:MAX_TEXT],
        filters=filters,
        sort=key,
        descending=descending,
        page=_number(params.get("page")),
        per_page=spec.per_page,
    )
    csv = params.get("format") == "csv"
    view = ListView(spec, query, request.url.path, csv, dict(extra or {}))
    return replace(view, query=query.whole()) if csv else view
