"""A database's rows kept in memory and written into another empty database of the same
schema: how the test worlds are copied into each test's database instead of being built
through the services again."""

import copy
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, Table, exists, or_, select, text
from sqlmodel import SQLModel

T = TypeVar("T")


def is_empty(engine: Engine) -> bool:
    """No table holds a row (one query)."""
    tables = SQLModel.metadata.sorted_tables
    with engine.connect() as conn:
        found = conn.execute(select(or_(*(exists(select(t).limit(1)) for t in tables))))
        return not found.scalar()


@dataclass(frozen=True)
class Snapshot(Generic[T]):
    """Every row of every table (parents first), the highest id of each, and what the test
    knows about them (`value`: ids, raw tokens), kept as they were when it was taken."""

    value: T
    rows: tuple[tuple[Table, tuple[dict[str, Any], ...]], ...]

    @classmethod
    def of(cls, engine: Engine, value: T) -> "Snapshot[T]":
        taken = []
        with engine.connect() as conn:
            for table in SQLModel.metadata.sorted_tables:
                rows = tuple(dict(row) for row in conn.execute(select(table)).mappings())
                if rows:
                    taken.append((table, rows))
        return cls(copy.deepcopy(value), tuple(taken))

    def restore_into(self, engine: Engine) -> T:
        """The rows written into `engine`'s empty database; on PostgreSQL each id sequence
        then continues after the highest id copied, as it would after inserting them one by
        one. Returns a fresh copy of `value` (a test may change its own)."""
        with engine.begin() as conn:
            for table, rows in self.rows:
                conn.execute(table.insert(), [dict(row) for row in rows])
                if conn.dialect.name == "postgresql" and "id" in table.c:
                    highest = max(row["id"] for row in rows)
                    conn.execute(
                        text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :highest)"),
                        {"table": f'"{table.name}"', "highest": highest},
                    )
        return copy.deepcopy(self.value)
