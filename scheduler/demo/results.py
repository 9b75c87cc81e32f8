"""What `patentpool demo` made: its pool, the statements' stored documents exported as
files, and the summary it prints (distribution runs per quarter, contributors by type and the
year's figures, as plain tables)."""

import importlib
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, func
from sqlalchemy import select as select_rows
from sqlmodel import Session, col, or_, select

from allocation import format_minor
from pool.models.billing import Invoice, Payment
from pool.models.distribution import DistributionRun, Statement, StatementDocument
from pool.models.licensing import LicenceAgreement
from pool.models.organisation import Organisation
from pool.models.outbox import OutboxMessage
from pool.models.patent import Patent, PatentInclusion
from pool.models.pool import Pool
from pool.models.user import Role, User
from scheduler.demo.founding import principal
from scheduler.demo.records import ADMIN_EMAIL, pool_name


def pool_of(engine: Engine, year: int) -> Pool:
    with Session(engine) as session:
        return session.exec(select(Pool).where(Pool.name == pool_name(year))).one()


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
    issued, sent = _statements_per_run(session, pool)
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


def _statements_per_run(session: Session, pool: Pool) -> tuple[dict[int, int], dict[int, int]]:
    """Statements issued, and e-mailed, per distribution run."""
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
    return issued, sent


def _contributor_types(session: Session, pool: Pool, year: int) -> str:
    in_pool = _patents_by_kind(session, pool, date(year, 12, 31))
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


def _patents_by_kind(session: Session, pool: Pool, year_end: date) -> Counter[str]:
    """Patents in the pool on `year_end`, by their owner's organisation kind."""
    return Counter(
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


def _figures(session: Session, pool: Pool, year: int) -> str:
    """The Beijing programme's yearly figures from `pool.services.figures` (as the
    administrator sees them at the end of the demo); where that module is not installed, a
    compact version read from agreements, invoices and payments."""
    try:
        figures = importlib.import_module("pool.services.figures")
        as_table = importlib.import_module("pool.services.figures.table").render_table
    except ModuleNotFoundError:
        return _own_figures(session, pool, year)
    admin = session.exec(select(User).where(User.email == ADMIN_EMAIL)).one()
    found = figures.yearly(
        session,
        principal=principal(admin.id or 0, admin.email, Role.ADMIN, None),
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
