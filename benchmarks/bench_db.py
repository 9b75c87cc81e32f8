"""What the import benchmarks share: a fresh database per measurement, and the result table."""

import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlmodel import SQLModel

import pool.models  # noqa: F401  (registers every table)
from pool.db import make_engine

Run = Callable[[str, Engine, int, Path], float]


@contextmanager
def fresh_database(pg_url: str | None, tmp: Path, n: int) -> Iterator[tuple[str, Engine]]:
    """A new SQLite file, or a new PostgreSQL schema dropped afterwards."""
    if pg_url is None:
        engine = make_engine(f"sqlite:///{tmp / f'bench{n}.sqlite3'}")
        SQLModel.metadata.create_all(engine)
        try:
            yield "SQLite", engine
        finally:
            engine.dispose()
        return
    schema = f"pp_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(pg_url, connect_args={"options": f"-csearch_path={schema}"})
    SQLModel.metadata.create_all(engine)
    try:
        yield "PostgreSQL", engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def measure(sizes: list[int], pg_url: str | None, run: Run) -> list[tuple[str, int, float]]:
    """`run(label, engine, n, tmp)` -> seconds, for every size on SQLite (and PostgreSQL)."""
    results = []
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        for url in [None, *([pg_url] if pg_url else [])]:
            for n in sizes:
                with fresh_database(url, tmp, n) as (label, engine):
                    results.append((label, n, run(label, engine, n, tmp)))
    return results


def print_table(unit: str, results: list[tuple[str, int, float]]) -> None:
    print(f"{'database':<12} {unit:>8} {'seconds':>9} {unit + '/s':>9}")
    for label, n, seconds in results:
        print(f"{label:<12} {n:>8} {seconds:>9.2f} {n / seconds:>9.0f}")
