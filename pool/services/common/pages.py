"""Offset pagination shared by every list endpoint."""

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

T = TypeVar("T")
MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


def paginate(
    session: Session,
    query: SelectOfScalar[Any],
    *,
    limit: int,
    offset: int,
    convert: Callable[[Any], T] | None = None,
    convert_all: Callable[[Sequence[Any]], list[T]] | None = None,
) -> Page[T]:
    """Run `query` for one page and count the whole result (same filters, no ordering). Rows
    become items one by one (`convert`) or the page's rows together (`convert_all`, when each
    item needs more reads, done for the page at once)."""
    total = session.exec(select(func.count()).select_from(query.order_by(None).subquery())).one()
    rows: Sequence[Any] = session.exec(query.limit(limit).offset(offset)).all()
    items = converted(rows, convert, convert_all)
    return Page[T](items=items, total=total, limit=limit, offset=offset)


def converted(
    rows: Sequence[Any],
    convert: Callable[[Any], T] | None,
    convert_all: Callable[[Sequence[Any]], list[T]] | None,
) -> list[T]:
    if convert_all is not None:
        return convert_all(rows)
    if convert is None:
        raise TypeError("give convert or convert_all")
    return [convert(row) for row in rows]


def page_of(found: Sequence[T], *, limit: int, offset: int) -> Page[T]:
    """One page of a list computed whole (overdue parts come from every open invoice's
    schedule and payments, not from one query): the same shape as every other list."""
    items = list(found[offset : offset + limit])
    return Page[T](items=items, total=len(found), limit=limit, offset=offset)
