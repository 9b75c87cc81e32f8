"""The demo year (`patentpool demo`, see `scheduler/demo/command.py`): every day from 1 January
to 1 February of the year after, the jobs at 02:00, then the day's events from 09:00 through
`scheduler/demo/events.py` (licences signed, products filed, contracts filed, reports,
corrections, payments) and `scheduler/demo/deals.py` (pledges, a transfer, a capital
contribution, a licence outside the pool), each in its own transaction. Payments follow each
payer's habits."""

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import click
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from contracts import add_months
from pool.db import session_scope
from pool.models.billing import Invoice, InvoiceInstalment
from pool.services.billing import settlement
from scheduler.demo import deals as demo_deals
from scheduler.demo import evaluations as demo_evaluations
from scheduler.demo import events
from scheduler.demo.founding import Built
from scheduler.demo.payouts import Payouts
from scheduler.demo.records import LicenseePlan, Plan
from scheduler.demo.usage import report_lines
from scheduler.jobs import JOBS

NIGHTLY = ("patent_upkeep", "period_close", "statement_issuance", "outbox_delivery")
TOLD = ("patent_upkeep", "period_close", "statement_issuance")  # listed after the year
Action = Callable[[Session, datetime], str]


class Year:
    """The calendar from 1 January to 1 February of the next year: jobs every night, then
    the day's events, each event in its own transaction (as a request would be)."""

    def __init__(self, engine: Engine, the_plan: Plan, built: Built) -> None:
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
        self.log: list[str] = []  # period closes, statements issued, patents expired, payouts
        self.payouts = Payouts(engine, the_plan, built)
        self.fee_days: set[date] = set()  # fixed fees and deferred parts fall due
        ends = [add_months(date(self.year, 1, 1), 3 * q) for q in range(1, 5)]
        self.reminder_days = {end + timedelta(days=d) for end in ends for d in (16, 31)}
        for lp in the_plan.licensees:
            self.at(lp.signs_on, self.signer(lp))
        for day, action in demo_deals.agenda(the_plan, built):
            self.at(day, action)
        for day, action in demo_evaluations.agenda(the_plan, built):
            self.at(day, action)
        for day, action in demo_evaluations.challenge_agenda(the_plan, built):
            self.at(day, action)

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
                self.log += [f"{day} payouts: {line}" for line in self.payouts.day(day)]
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

    def signer(self, lp: LicenseePlan) -> Action:
        return lambda session, now: self.sign(session, now, lp)

    def sign(self, session: Session, now: datetime, lp: LicenseePlan) -> str:
        built = self.built
        agreement = events.sign(session, built, lp, now=now)
        self.deals[lp.org.key] = agreement
        self.fee_days.update(
            max(fee.due_on, now.date() + timedelta(days=1))
            for fee in events.fixed_fees_of(session, agreement)
        )
        self.products[lp.org.key] = events.register_products(session, built, lp, agreement, now=now)
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
            if quarter == lp.corrects_quarter:  # after the quarter's money was distributed,
                # so the next run's statements carry it as a report correction
                fix = add_months(end, 3) + timedelta(days=20)
                self.at(fix, self.reporter(lp, quarter, share * 1.12, True))
        return "licences signed"

    def filer(self, agreement: int) -> Action:
        def file(session: Session, now: datetime) -> str:
            self.filings += 1
            number = f"{now.year}99{self.filings:07d}"
            events.file_contract(session, self.built, agreement, number, now=now)
            return "contracts filed"

        return file

    def reporter(
        self, lp: LicenseePlan, quarter: int, share: float, correction: bool = False
    ) -> Action:
        def report(session: Session, now: datetime) -> str:
            key = lp.org.key
            lines = report_lines(self.plan.seed, lp, self.products[key], quarter, share)
            if quarter in lp.nil_quarters:
                lines = []
            start = date(self.year, 3 * quarter - 2, 1)
            args = (session, self.built, lp, self.deals[key], lines)
            if correction:
                events.correct_report(*args, period_start=start, now=now)
                return "corrections"
            events.submit_report(*args, period_start=start, now=now)
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
                if invoice.kind == "evaluation_fee":  # the contributor's (demo.evaluations)
                    continue
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
            events.pay(
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
