"""`patentpool doctor`: the system pieces the service needs beside Python, one line each, OK or
PROBLEM with what to do: a CJK font (or every Chinese PDF is boxes), Pango and HarfBuzz with
subsetting (WeasyPrint's PDFs), the database reachable, its migrations current. Exit status 1
on any problem, so a deployment script or a container's health check can run it."""

import sys
from collections.abc import Callable
from dataclasses import dataclass

import click
from sqlalchemy import Engine

from pool.settings import Settings

PANGO_AT_LEAST = (1, 44)  # what WeasyPrint needs


@dataclass(frozen=True)
class Line:
    name: str
    ok: bool
    text: str

    def __str__(self) -> str:
        return f"{'OK' if self.ok else 'PROBLEM':<8} {self.name}: {self.text}"


def cjk_font() -> Line:
    from pool.services.statements import fonts

    family = fonts.required_family()
    found = fonts.cjk_font(family)
    if found is not None:
        return Line("CJK font", True, f"{found} (fontconfig, :lang=zh)")
    return Line("CJK font", False, f"{fonts.problem()}; {fonts.INSTALL_HINT}")


def _weasyprint_libraries() -> tuple[object, object | None]:
    from weasyprint.text.ffi import harfbuzz_subset, pango

    return pango, harfbuzz_subset


def pango() -> Line:
    hint = "install Pango (Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
    try:
        library, _ = _weasyprint_libraries()
    except Exception as error:  # OSError from dlopen, whatever WeasyPrint raises first
        return Line("Pango", False, f"not loadable ({type(error).__name__}): {hint}")
    number = int(library.pango_version())  # type: ignore[attr-defined]
    version = (number // 10000, number // 100 % 100, number % 100)
    shown = ".".join(map(str, version))
    if version[:2] < PANGO_AT_LEAST:
        need = ".".join(map(str, PANGO_AT_LEAST))
        return Line("Pango", False, f"{shown} is older than WeasyPrint needs ({need}): {hint}")
    return Line("Pango", True, shown)


def harfbuzz() -> Line:
    hint = "install HarfBuzz subsetting (Debian/Ubuntu: apt-get install libharfbuzz-subset0)"
    try:
        _, subset = _weasyprint_libraries()
    except Exception as error:
        return Line("HarfBuzz", False, f"not loadable ({type(error).__name__}): {hint}")
    if subset is None:
        return Line("HarfBuzz", False, f"no subsetting library: PDFs are 5x slower; {hint}")
    return Line("HarfBuzz", True, "loaded, with subsetting")


def database(engine: Engine, settings: Settings) -> Line:
    from sqlalchemy import text

    where = engine.url.render_as_string(hide_password=True)
    if settings.is_sqlite and engine.url.database and not _sqlite_file_exists(engine):
        return Line("database", False, f"{where} does not exist: run `patentpool db upgrade`")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        cause = getattr(error, "orig", None) or error  # the driver's own words
        reason = " ".join(str(cause).split())[:200]
        return Line(
            "database",
            False,
            f"cannot connect to {where} ({type(error).__name__}: {reason}): check "
            "PATENTPOOL_DATABASE_URL and that the database server is running",
        )
    return Line("database", True, f"{where} answers")


def _sqlite_file_exists(engine: Engine) -> bool:
    from pathlib import Path

    return engine.url.database == ":memory:" or Path(str(engine.url.database)).is_file()


def migrations(engine: Engine) -> Line:
    from alembic.script import ScriptDirectory

    from pool.migrate import alembic_config, current_revision

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    current = current_revision(engine)
    if current == head:
        return Line("migrations", True, f"at the head revision {head}")
    found = current or "none (no migrations applied)"
    return Line("migrations", False, f"at {found}, the head is {head}: run `patentpool db upgrade`")


def checks(settings: Settings) -> list[Line]:
    from pool.db import make_engine

    lines = [cjk_font(), pango(), harfbuzz()]
    engine = make_engine(settings.database_url)
    try:
        reached = database(engine, settings)
        lines.append(reached)
        if reached.ok:
            lines.append(migrations(engine))
        else:
            lines.append(Line("migrations", False, "not checked: the database is not reachable"))
    finally:
        engine.dispose()
    return lines


@click.command()
def doctor() -> None:
    """Check the system pieces (CJK font, Pango, HarfBuzz, database, migrations); exit status 1
    on any problem."""
    found = checks(Settings.from_env())
    echo: Callable[[str], None] = click.echo
    for line in found:
        echo(str(line))
    sys.exit(0 if all(line.ok for line in found) else 1)
