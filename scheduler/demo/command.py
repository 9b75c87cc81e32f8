"""`patentpool demo`: a year of a realistic patent pool on an empty data dir, run through the
real services and the real jobs on a simulated clock.

`scheduler.demo.plan` plans who is in the pool and what each of them does; this module founds
the pool and `scheduler.demo.year` walks the calendar. The pool is founded on 1 December of the
year before: organisations, users, patents submitted by CSV and evaluated, terms and the open
licence. Then every day from 1 January to 1 February of the year after: the jobs run at 02:00
(patent upkeep, period close, statement issuance and outbox delivery every night; fees and dues
on the nights fixed fees or deferred parts fall due; reminders around the reporting deadlines
and twice a month), then the day's events happen from 09:00 (licences signed, products filed,
contracts filed, reports, corrections, payments). The pool auto-approves its distribution
runs, so period close approves each quarter's run and statement issuance issues its statements
the same night; the fourth quarter closes on 1 February, 31 days after the year's end.
`scheduler.demo.results` exports the statements and prints what the year made.

A data dir holding the finished demo is left as it is (the summary is printed again); one
holding anything else, or a demo that was interrupted, is refused."""

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import click
from sqlalchemy import Engine
from sqlmodel import Session, select

from pool.db import session_scope
from pool.models.distribution import DistributionRun, RunStatus
from pool.models.pool import Pool
from pool.models.user import User
from pool.services import statements
from pool.settings import Settings
from scheduler.demo import evaluations as demo_evaluations
from scheduler.demo import founding
from scheduler.demo import inventors as demo_inventors
from scheduler.demo.plan import plan
from scheduler.demo.records import (
    ADMIN_EMAIL,
    AUDITOR_EMAIL,
    CONTRIBUTOR_EMAIL,
    DEMO_PASSWORD,
    LICENSEE_EMAIL,
    Plan,
    Size,
    pool_name,
)
from scheduler.demo.year import Year


@dataclass(frozen=True)
class Options:
    seed: int = 2025
    year: int = 2025
    size: Size = field(default_factory=Size)


class Refused(Exception):
    """The data dir cannot take the demo (it holds other data, or an interrupted demo)."""


# ---------------------------------------------------------------- the command's steps


def run(engine: Engine, settings: Settings, options: Options) -> bool:
    """Build and run the demo year unless the data dir already holds it; True if built now."""
    found = _state(engine, options.year)
    if found == "complete":
        return False
    if found != "empty":
        raise Refused(found)
    the_plan = plan(options.seed, options.size, options.year)
    click.echo(
        f"patentpool demo: the {options.year} pool, seed {options.seed}: "
        f"{len(the_plan.contributors)} contributors, {len(the_plan.patents):,} patents, "
        f"{len(the_plan.licensees)} licensees, in {settings.data_dir}"
    )
    with _mail_to_directory():
        built = found_pool(engine, the_plan, settings)
        Year(engine, the_plan, built).run()
    return True


def _state(engine: Engine, year: int) -> str:
    """Whether the data dir is empty or holds the finished demo (`empty`, `complete`), or
    else why the demo will not touch it."""
    with Session(engine) as session:
        pool = session.exec(select(Pool).where(Pool.name == pool_name(year))).first()
        if pool is None:
            other = session.exec(select(User.email)).first()
            if other is None:
                return "empty"
            return (
                f"the database in this data dir already holds other data (user {other}); "
                "the demo builds its pool in an empty one: point PATENTPOOL_DATA_DIR at a new "
                "directory"
            )
        last = session.exec(
            select(DistributionRun).where(
                DistributionRun.pool_id == pool.id,
                DistributionRun.period_start == date(year, 10, 1),
                DistributionRun.status == RunStatus.APPROVED,
            )
        ).first()
        if last is not None and not statements.pending(session, last):
            return "complete"
    return (
        f"the {year} demo in this data dir was interrupted before its last statements were "
        "issued; delete the data dir (or use another PATENTPOOL_DATA_DIR) and run it again"
    )


@contextmanager
def _mail_to_directory() -> Iterator[None]:
    """The outbox job reads its transport from the environment: .eml files, whatever is set."""
    before = os.environ.get("PATENTPOOL_MAIL_TRANSPORT")
    os.environ["PATENTPOOL_MAIL_TRANSPORT"] = "directory"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PATENTPOOL_MAIL_TRANSPORT", None)
        else:
            os.environ["PATENTPOOL_MAIL_TRANSPORT"] = before


def banner(settings: Settings, *, built_now: bool) -> str:
    """Where to sign in, and with what (the demo password is the same for every user)."""
    base = f"http://{settings.host}:{settings.port}"
    state = "built" if built_now else "already built (nothing changed)"
    login = json.dumps({"email": ADMIN_EMAIL, "password": DEMO_PASSWORD})
    return "\n".join(
        [
            f"patentpool demo: pool {state} in {settings.database_url}",
            f"  portal:    {base}/login",
            f"  API:       {base}/api/v1   OpenAPI: {base}/schema",
            f"  sign in:   {ADMIN_EMAIL}, {AUDITOR_EMAIL}, {CONTRIBUTOR_EMAIL}, {LICENSEE_EMAIL}",
            "             (and contributor-NN@ / licensee-NNN@example.org for every organisation)",
            "             evaluator-1@ / evaluator-2@example.org (the evaluation agency)",
            f"  password:  {DEMO_PASSWORD}   (demo only)",
            f"  e.g.       curl -s -X POST {base}/api/v1/auth/login "
            f"-H 'content-type: application/json' -d '{login}'",
        ]
    )


def found_pool(engine: Engine, the_plan: Plan, settings: Settings) -> founding.Built:
    """December of the year before: the pool, its members' patents (CSV, by each member) and
    their evaluation (admitted on 15 December), the terms and the open licence."""
    year = the_plan.year
    founded = datetime(year - 1, 12, 1, 9, tzinfo=UTC)
    steps = len(the_plan.contributors) + len(the_plan.patents)
    with click.progressbar(length=steps, label=f"Founding the pool (Dec {year - 1})") as bar:
        with session_scope(engine) as session:
            hasher = founding.OnceHasher(settings)
            built = founding.build_pool(session, the_plan, hasher=hasher, now=founded)
            demo_evaluations.found_agency(session, built, hasher=hasher, now=founded)
        decisions: list[tuple[int, str]] = []
        for n, org in enumerate(the_plan.contributors):
            now = founded + timedelta(days=2, minutes=7 * n)
            with session_scope(engine) as session:
                ids = founding.submit_patents(session, built, the_plan, owner=org.key, now=now)
                demo_inventors.record(
                    session,
                    owner=org,
                    principal=built.users[org.key],
                    patent_ids=ids,
                    seed=the_plan.seed,
                    now=now,
                )
            outcomes = [p.outcome for p in the_plan.patents if p.owner == org.key]
            decisions += zip(ids, outcomes, strict=True)
            bar.update(1)
        evaluated = datetime(year - 1, 12, 12, 9, tzinfo=UTC)
        for start in range(0, len(decisions), 100):
            with session_scope(engine) as session:
                for patent_id, outcome in decisions[start : start + 100]:
                    founding.evaluate(
                        session,
                        built,
                        patent_id,
                        outcome,
                        admitted_on=date(year - 1, 12, 15),
                        now=evaluated,
                    )
            bar.update(len(decisions[start : start + 100]))
    return built
