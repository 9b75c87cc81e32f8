"""`patentpool demo`: a year of a realistic patent pool on an empty data dir, run through the
real services and the real jobs on a simulated clock.

`pool.services.sample` plans who is in the pool and what each of them does; this module walks
the calendar. The pool is founded on 1 December of the year before: organisations, users,
patents submitted by CSV and evaluated, terms and the open licence. Then every day from
1 January to 1 February of the year after: the jobs run at 02:00 (patent upkeep, period
close, statement issuance and outbox delivery every night; fees and dues on the nights fixed
fees or deferred parts fall due; reminders around the reporting deadlines and twice a month),
then the day's events happen from 09:00 (licences signed, products filed, contracts filed,
reports, corrections, payments). The pool auto-approves its distribution runs, so period close
approves each quarter's run and statement issuance issues its statements the same night; the
fourth quarter closes on 1 February, 31 days after the year's end.

A data dir holding the finished demo is left as it is (the summary is printed again); one
holding anything else, or a demo that was interrupted, is refused."""

import importlib
import os
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import click
from sqlalchemy import Engine, func
from sqlalchemy import select as select_rows
from sqlmodel import Session, col, or_, select

from allocation import format_minor
from contracts import add_months
from pool.db import session_scope
from pool.models.billing import Invoice, InvoiceInstalment, Payment
from pool.models.distribution import DistributionRun, RunStatus, Statement, StatementDocument
from pool.models.licensing import LicenceAgreement
from pool.models.organisation import Organisation
from pool.models.outbox import OutboxMessage
from pool.models.patent import Patent, PatentInclusion
from pool.models.pool import Pool
from pool.models.user import Role, User
from pool.services import sample, settlement, statements
from pool.settings import Settings
from scheduler.jobs import JOBS

NIGHTLY = ("patent_upkeep", "period_close", "statement_issuance", "outbox_delivery")
TOLD = ("patent_upkeep", "period_close", "statement_issuance")  # listed after the year
Action = Callable[[Session, datetime], str]


@dataclass(frozen=True)
class Options:
    seed: int = 2025
    year: int = 2025
    size: sample.Size = field(default_factory=sample.Size)


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
    the_plan = sample.plan(options.seed, options.size, options.year)
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
        pool = session.exec(select(Pool).where(Pool.name == sample.pool_name(year))).first()
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


def found_pool(engine: Engine, the_plan: sample.Plan, settings: Settings) -> sample.Built:
    """December of the year before: the pool, its members' patents (CSV, by each member) and
    their evaluation (admitted on 15 December), the terms and the open licence."""
    year = the_plan.year
    founded = datetime(year - 1, 12, 1, 9, tzinfo=UTC)
    steps = len(the_plan.contributors) + len(the_plan.patents)
    with click.progressbar(length=steps, label=f"Founding the pool (Dec {year - 1})") as bar:
        with session_scope(engine) as session:
            built = sample.build_pool(
                session, the_plan, hasher=sample.OnceHasher(settings), now=founded
            )
        decisions: list[tuple[int, str]] = []
        for n, org in enumerate(the_plan.contributors):
            now = founded + timedelta(days=2, minutes=7 * n)
            with session_scope(engine) as session:
                ids = sample.submit_patents(session, built, the_plan, owner=org.key, now=now)
            outcomes = [p.outcome for p in the_plan.patents if p.owner == org.key]
            decisions += zip(ids, outcomes, strict=True)
            bar.update(1)
        evaluated = datetime(year - 1, 12, 12, 9, tzinfo=UTC)
        for start in range(0, len(decisions), 100):
            with session_scope(engine) as session:
                for patent_id, outcome in decisions[start : start + 100]:
                    sample.evaluate(
                        session,
                        built,
                        patent_id,
                        outcome,
                        admitted_on=date(year - 1, 12, 15),
                        now=evaluated,
                    )
            bar.update(len(decisions[start : start + 100]))
    return built


# ---------------------------------------------------------------- the year


class Year:
    """The calendar from 1 January to 1 February of the next year: jobs every night, then
    the day's events, each event in its own transaction (as a request would be)."""

    def __init__(self, engine: Engine, the_plan: sample.Plan, built: sample.Built) -> None:
        self.engine, self.plan, self.built = engine, the_plan, built
        self.year = the_plan.year
        self.agenda: dict[date, list[Action]] = defaultdict(list)
        self.deals: dict[str, int] = {}  # licensee key -> agreement
        self.products: dict[str, dict[str, int]] = {}
        self.licensee_of = {built.orgs[lp.org.key]: lp for lp in the_plan.licensees}
        self.rng = random.Random(f"{the_plan.seed}:calendar")
        self.last_invoice = 0
        self.filings = 0
        self.status = ""
        self.log: list[str] = []  # period closes, statements issued, patents expired
        self.fee_days: set[date] = set()  # fixed fees and deferred parts fall due
        ends = [add_months(date(self.year, 1, 1), 3 * q) for q in range(1, 5)]
        self.reminder_days = {end + timedelta(days=d) for end in ends for d in (16, 31)}
        for lp in the_plan.licensees:
            self.at(lp.signs_on, self.signer(lp))

    def at(self, day: date, action: Action) -> None:
        self.agenda[day].append(action)

    def run(self) -> None:
        first, last = date(self.year, 1, 1), date(self.year + 1, 2, 1)
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        with click.progressbar(
            days, label=f"Running {self.year}", item_show_func=lambda _: self.status
        ) as bar:
            for day in bar:
                self.night(day)
                self.daytime(day)
                self.schedule_payments(day)
        click.echo("What the jobs did:\n" + "\n".join(f"  {line}" for line in self.log))

    def night(self, day: date) -> None:
        """The nightly jobs, each on the nights it has something to do: fees and dues on
        the dates fixed fees and deferred parts fall due (and on every 1st as a safety net),
        overdue reminders twice a month, reporting reminders two weeks before and the day
        after each reporting deadline. The others every night."""
        now = datetime.combine(day, time(2), UTC)
        names = list(NIGHTLY)
        if day in self.fee_days or day.day == 1:
            names.insert(1, "fees_and_dues")
        if day.day in (1, 16):
            names.append("overdue_reminders")
        if day in self.reminder_days:
            names.append("reporting_reminders")
        for name in names:
            result = JOBS[name](self.engine, pool_id=self.built.pool_id, as_of=day, now=now)
            told = [line for line in result.lines if name in TOLD and " 0 patents" not in line]
            self.log += [f"{day} {name}: {line}" for line in told]
            if told:
                self.status = f"{day}: {name.replace('_', ' ')}"

    def daytime(self, day: date) -> None:
        done: Counter[str] = Counter()
        for n, action in enumerate(self.agenda.pop(day, [])):
            now = datetime.combine(day, time(9), UTC) + timedelta(minutes=2 * n)
            with session_scope(self.engine) as session:
                done[action(session, now)] += 1
        if done:
            self.status = f"{day}: " + ", ".join(f"{what} {n}" for what, n in sorted(done.items()))

    # ------------------------------------------------------------ licences and reports

    def signer(self, lp: sample.LicenseePlan) -> Action:
        return lambda session, now: self.sign(session, now, lp)

    def sign(self, session: Session, now: datetime, lp: sample.LicenseePlan) -> str:
        built = self.built
        agreement = sample.sign(session, built, lp, now=now)
        self.deals[lp.org.key] = agreement
        self.fee_days.update(
            max(fee.due_on, now.date() + timedelta(days=1))
            for fee in sample.fixed_fees_of(session, agreement)
        )
        self.products[lp.org.key] = sample.register_products(session, built, lp, agreement, now=now)
        if lp.files:
            self.at(now.date() + timedelta(days=self.rng.randint(20, 80)), self.filer(agreement))
        late = None
        for quarter in range(1, 5):
            start = date(self.year, 3 * quarter - 2, 1)
            end = add_months(start, 3)
            if end <= now.date():
                continue
            day = end + timedelta(days=self.rng.randint(1, 27))
            if quarter == lp.late_quarter:
                day = late = end + timedelta(days=100)  # two months after its deadline
            elif late is not None:
                day = max(day, late + timedelta(days=11))  # reports follow in period order
            share = (end - max(start, now.date())).days / (end - start).days
            self.at(day, self.reporter(lp, quarter, share))
            if quarter == lp.corrects_quarter:
                self.at(day + timedelta(days=40), self.reporter(lp, quarter, share * 1.12, True))
        return "licences signed"

    def filer(self, agreement: int) -> Action:
        def file(session: Session, now: datetime) -> str:
            self.filings += 1
            number = f"{now.year}99{self.filings:07d}"
            sample.file_contract(session, self.built, agreement, number, now=now)
            return "contracts filed"

        return file

    def reporter(
        self, lp: sample.LicenseePlan, quarter: int, share: float, correction: bool = False
    ) -> Action:
        def report(session: Session, now: datetime) -> str:
            key = lp.org.key
            lines = sample.report_lines(self.plan.seed, lp, self.products[key], quarter, share)
            if quarter in lp.nil_quarters:
                lines = []
            start = date(self.year, 3 * quarter - 2, 1)
            args = (session, self.built, lp, self.deals[key], lines)
            if correction:
                sample.correct_report(*args, period_start=start, now=now)
                return "corrections"
            sample.submit_report(*args, period_start=start, now=now)
            return "nil reports" if not lines else "reports"

        return report

    # ------------------------------------------------------------ payments

    def schedule_payments(self, today: date) -> None:
        """Each new invoice gets its payer's habits: most pay on time, some late, some in two
        parts; one invoice is never paid; "use first, pay later" pays when it falls due."""
        with Session(self.engine) as session:
            fresh = session.exec(
                select(Invoice)
                .where(Invoice.pool_id == self.built.pool_id, col(Invoice.id) > self.last_invoice)
                .order_by(col(Invoice.id))
            ).all()
            for invoice in fresh:
                self.last_invoice = invoice.id or 0
                dates = session.exec(
                    select(col(InvoiceInstalment.due_on)).where(
                        InvoiceInstalment.invoice_id == invoice.id
                    )
                ).all()
                due = [d for d in dates if d is not None]
                self.fee_days.update(d for d in due if d > invoice.issued_on)
                if invoice.total_minor > 0:
                    self.plan_payments(invoice, max(due, default=invoice.issued_on), today)

    def plan_payments(self, invoice: Invoice, due: date, today: date) -> None:
        lp = self.licensee_of[invoice.licensee_organisation_id]
        r = self.rng.randint
        if invoice.kind == "fixed_fee":
            dates = [(invoice.issued_on + timedelta(days=r(5, 25)), 100)]
        elif lp.deal == "ufpl":
            dates = [(due + timedelta(days=r(0, 7)), 100)]
        elif lp.payer == "never" and invoice.usage_start == date(self.year, 4, 1):
            dates = []  # this one stays unpaid: memo lines and reminders show it
        elif lp.payer in ("late", "never"):
            dates = [(due + timedelta(days=r(10, 60)), 100)]
        elif lp.payer == "partial":
            dates = [(due - timedelta(days=r(0, 5)), 60), (due + timedelta(days=r(30, 80)), 100)]
        else:
            dates = [(min(due, invoice.issued_on + timedelta(days=r(2, 25))), 100)]
        for n, (day, percent) in enumerate(dates, start=1):
            self.at(max(day, today + timedelta(days=1)), self.payer(invoice.id or 0, n, percent))

    def payer(self, invoice_id: int, n: int, percent: int) -> Action:
        """Pay `percent` of what is still owed on the invoice that day (nothing if it was
        cancelled by a correction: the new invoice has its own payments)."""

        def pay(session: Session, now: datetime) -> str:
            invoice = session.get(Invoice, invoice_id)
            if invoice is None or invoice.status != "open":
                return "payments (nothing owed)"
            owed = invoice.total_minor - settlement.allocated(session, invoice_id)
            amount = owed * percent // 100
            if amount <= 0:
                return "payments (nothing owed)"
            lp = self.licensee_of[invoice.licensee_organisation_id]
            reference = f"{lp.org.key.upper()}-{invoice.number}-{n}"
            sample.pay(
                session,
                self.built,
                lp.org.key,
                reference=reference,
                amount_minor=amount,
                on=now.date(),
                now=now,
            )
            return "payments" if percent == 100 else "part payments"

        return pay


# ---------------------------------------------------------------- what it made


def pool_of(engine: Engine, year: int) -> Pool:
    with Session(engine) as session:
        return session.exec(select(Pool).where(Pool.name == sample.pool_name(year))).one()


def export_statements(engine: Engine, pool_id: int, directory: Path) -> int:
    """Every statement's stored documents as `<serial>.<format>` files (the stored bytes)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = 0
    with Session(engine) as session:
        rows = session.exec(
            select(Statement.serial, StatementDocument.format, StatementDocument.content)
            .join(StatementDocument, col(StatementDocument.statement_id) == Statement.id)
            .where(Statement.pool_id == pool_id)
            .order_by(col(Statement.serial), col(StatementDocument.format))
        ).all()
    for serial, fmt, content in rows:
        (directory / f"{serial}.{fmt}").write_bytes(content)
        written += 1
    return written


def summary(engine: Engine, pool: Pool, year: int) -> str:
    """Per quarter, per contributor type and the year's figures, as plain tables."""
    with Session(engine) as session:
        parts = [
            _quarters(session, pool),
            _contributor_types(session, pool, year),
            _figures(session, pool, year),
        ]
    return "\n\n".join(parts)


def _money(amount: int, currency: str) -> str:
    return format_minor(amount, currency)


def _table(title: str, head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    line = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    out = [title, line.format(*head), line.format(*["-" * w for w in widths])]
    out += [line.format(*row) for row in rows]
    return "\n".join(out)


def _quarters(session: Session, pool: Pool) -> str:
    runs = session.exec(
        select(DistributionRun)
        .where(DistributionRun.pool_id == pool.id)
        .order_by(col(DistributionRun.period_start))
    ).all()
    issued = dict(
        session.exec(
            select(Statement.run_id, func.count())
            .where(Statement.pool_id == pool.id)
            .group_by(col(Statement.run_id))
        ).all()
    )
    sent = dict(
        session.exec(
            select(Statement.run_id, func.count())
            .join(OutboxMessage, col(OutboxMessage.statement_id) == Statement.id)
            .where(Statement.pool_id == pool.id, col(OutboxMessage.sent_at).is_not(None))
            .group_by(col(Statement.run_id))
        ).all()
    )
    rows, c = [], pool.currency
    for run in runs:
        adds_up = run.admin_fee_minor + run.withholding_minor + run.net_payable_minor
        rows.append(
            [
                f"Q{(run.period_start.month - 1) // 3 + 1} {run.period_start.year}",
                _money(run.received_minor, c),
                _money(run.admin_fee_minor, c),
                _money(run.withholding_minor, c),
                _money(run.net_payable_minor, c),
                str(issued.get(run.id or 0, 0)),
                str(sent.get(run.id or 0, 0)),
                "yes" if adds_up == run.received_minor else "NO",
            ]
        )
    head = ["period", "received", "admin fee", "withholding", "net paid out", "statements"]
    head += ["e-mailed", "fee+wh+net=received"]
    return _table(
        f"Distribution runs ({c}; each approved automatically at period close)", head, rows
    )


def _contributor_types(session: Session, pool: Pool, year: int) -> str:
    year_end = date(year, 12, 31)
    in_pool = Counter(
        session.exec(
            select(Organisation.kind)
            .join(Patent, col(Patent.owner_organisation_id) == Organisation.id)
            .join(PatentInclusion, col(PatentInclusion.patent_id) == Patent.id)
            .where(
                PatentInclusion.pool_id == pool.id,
                col(PatentInclusion.start_on) <= year_end,
                or_(col(PatentInclusion.end_on).is_(None), col(PatentInclusion.end_on) > year_end),
            )
        ).all()
    )
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    members: dict[str, set[int]] = defaultdict(set)
    for kind, org, gross, adjustments, withheld, net in session.execute(
        select_rows(
            col(Organisation.kind),
            col(Organisation.id),
            col(Statement.gross_minor),
            col(Statement.adjustments_minor),
            col(Statement.withholding_minor),
            col(Statement.net_payable_minor),
        )
        .join(Statement, col(Statement.contributor_organisation_id) == Organisation.id)
        .where(col(Statement.pool_id) == pool.id)
    ).all():
        members[kind].add(org or 0)
        row = totals[kind]
        row[0] += gross
        row[1] += adjustments
        row[2] += withheld
        row[3] += net
    c = pool.currency
    rows = [
        [kind.replace("_", " "), str(len(members[kind])), f"{in_pool[kind]:,}"]
        + [_money(v, c) for v in totals[kind]]
        for kind in sorted(totals)
    ]
    all_ = [sum(totals[k][i] for k in totals) for i in range(4)]
    rows.append(
        ["all", str(sum(len(m) for m in members.values())), f"{sum(in_pool.values()):,}"]
        + [_money(v, c) for v in all_]
    )
    head = ["contributor type", "members", "patents 31 Dec", "gross", "adjustments"]
    head += ["withholding", "net"]
    return _table(f"Contributors by type, statements of {year}", head, rows)


def _figures(session: Session, pool: Pool, year: int) -> str:
    """The Beijing programme's yearly figures from `pool.services.figures` (as the
    administrator sees them at the end of the demo); where that module is not installed, a
    compact version read from agreements, invoices and payments."""
    try:
        figures = importlib.import_module("pool.services.figures")
        as_table = importlib.import_module("pool.services.figures_table").render_table
    except ModuleNotFoundError:
        return _own_figures(session, pool, year)
    admin = session.exec(select(User).where(User.email == sample.ADMIN_EMAIL)).one()
    found = figures.yearly(
        session,
        principal=sample.principal(admin.id or 0, admin.email, Role.ADMIN, None),
        pool_id=pool.id,
        year=year,
        now=datetime(year + 1, 2, 1, 12, tzinfo=UTC),
    )
    return f"Yearly figures (Beijing programme)\n{as_table(found)}".rstrip()


def _own_figures(session: Session, pool: Pool, year: int) -> str:
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    size_of = {org.id: org.size_class or "n/a" for org in session.exec(select(Organisation)).all()}
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for deal in session.exec(
        select(LicenceAgreement).where(
            LicenceAgreement.pool_id == pool.id,
            col(LicenceAgreement.signed_on) >= start,
            col(LicenceAgreement.signed_on) < end,
        )
    ).all():
        rows[size_of[deal.licensee_organisation_id]][0] += 1
    for invoice in session.exec(
        select(Invoice).where(
            Invoice.pool_id == pool.id,
            col(Invoice.issued_on) >= start,
            col(Invoice.issued_on) < end,
            Invoice.status != "cancelled",
        )
    ).all():
        rows[size_of[invoice.licensee_organisation_id]][1] += invoice.total_minor
    for payment in session.exec(
        select(Payment).where(
            Payment.pool_id == pool.id,
            col(Payment.received_on) >= start,
            col(Payment.received_on) < end,
        )
    ).all():
        rows[size_of[payment.licensee_organisation_id]][2] += payment.amount_minor
    order = ["micro", "small", "medium", "large", "n/a"]
    c = pool.currency
    table = [
        [size, f"{rows[size][0]:,}", _money(rows[size][1], c), _money(rows[size][2], c)]
        for size in order
        if size in rows
    ]
    total = [sum(r[i] for r in rows.values()) for i in range(3)]
    table.append(["all", f"{total[0]:,}", _money(total[1], c), _money(total[2], c)])
    head = ["licensee size", "licences granted", "invoiced (contracted)", "received (实际到账)"]
    return _table(f"Yearly figures {year} (Beijing programme style), by licensee size", head, table)
