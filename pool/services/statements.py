"""Contributor statements: issued from an approved run, once per contributor, pool and period,
rendered to stored documents whose bytes never change, and read only by their contributor,
the administrators and the auditors.

Issuing is idempotent: contributors that already have their statement are skipped, and the
unique constraint on (pool, contributor, period) refuses a concurrent duplicate, so a job
killed half-way and run again finishes the rest with no gap and no duplicate."""

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from allocation import format_minor
from pool.auth import Principal
from pool.errors import Conflict, Forbidden, NotFound
from pool.models.distribution import (
    DistributionRun,
    DocumentFormat,
    RunContributor,
    RunLine,
    RunStatus,
    RunUsagePeriod,
    Statement,
    StatementDocument,
    StatementDocumentRead,
    StatementRead,
)
from pool.models.membership import Membership
from pool.models.organisation import Organisation
from pool.models.outbox import OutboxMessage
from pool.models.patent import Patent, PatentInclusion
from pool.models.pool import Pool
from pool.models.user import Role
from pool.services import pdf_workers, statement_documents
from pool.services.distribution_cash import memo
from pool.services.pages import Page, paginate
from pool.services.statement_view import (
    AdjustmentLine,
    CountryBasis,
    MemoLine,
    MoneyLine,
    StatementView,
)

CONTENT_TYPES = {
    DocumentFormat.HTML: "text/html; charset=utf-8",
    DocumentFormat.CSV: "text/csv; charset=utf-8",
    DocumentFormat.PDF: "application/pdf",
}


def statement_language(preference: str) -> str:
    """Statements come in Chinese (`zh`, for any `zh-*` preference) or English."""
    return "zh" if preference.lower().startswith("zh") else "en"


def serial_for(pool_id: int, period_start: date, organisation_id: int) -> str:
    """Readable and stable: pool, period and contributor (authorization, not secrecy, keeps
    another contributor's statement out of reach)."""
    return f"PP{pool_id:04d}-{period_start:%Y%m}-{organisation_id:06d}"


def recipients(session: Session, run: DistributionRun) -> list[int]:
    """Every contributor with a membership during the period or money in the run."""
    members = session.exec(
        select(Membership.organisation_id).where(
            Membership.pool_id == run.pool_id,
            col(Membership.joined_on) < run.period_end,
            or_(
                col(Membership.withdrawn_on).is_(None),
                col(Membership.withdrawn_on) > run.period_start,
            ),
        )
    ).all()
    paid = session.exec(
        select(RunContributor.contributor_organisation_id).where(RunContributor.run_id == run.id)
    ).all()
    return sorted(set(members) | set(paid))


def pending(session: Session, run: DistributionRun) -> list[int]:
    """Recipients of the run without their statement yet."""
    issued = set(
        session.exec(
            select(Statement.contributor_organisation_id).where(Statement.run_id == run.id)
        ).all()
    )
    return [org for org in recipients(session, run) if org not in issued]


@dataclass(frozen=True)
class Rendered:
    """A statement ready to store: its view and its documents' bytes."""

    view: StatementView
    documents: dict[DocumentFormat, bytes]


def render(
    session: Session,
    *,
    run: DistributionRun,
    contributor_ids: list[int],
    issued_on: date,
    with_pdf: bool = True,
) -> list[Rendered]:
    """Build and render the statements of `contributor_ids` (those still pending). Reads
    only: rendering (PDF above all) is slow, so it happens before the write transaction."""
    if run.status != RunStatus.APPROVED:
        raise Conflict(f"run {run.id} is {run.status}; statements come from approved runs")
    wanted = sorted(set(contributor_ids) & set(pending(session, run)))
    if not wanted:
        return []
    context = _Context.load(session, run, wanted)
    rendered = []
    for org in wanted:
        view = context.view(org, issued_on)
        html = statement_documents.render_html(view)
        documents = {
            DocumentFormat.HTML: html,
            DocumentFormat.CSV: statement_documents.render_csv(view),
        }
        rendered.append(Rendered(view, documents))
    if with_pdf:  # in worker processes: both cores, and native memory given back
        pdfs = pdf_workers.render_pdfs([r.documents[DocumentFormat.HTML] for r in rendered])
        for item, pdf in zip(rendered, pdfs, strict=True):
            item.documents[DocumentFormat.PDF] = pdf
    return rendered


def store(
    session: Session, *, run: DistributionRun, rendered: list[Rendered], now: datetime
) -> list[Statement]:
    """Write rendered statements and their documents in the caller's transaction. One issued
    meanwhile by another worker makes the unique constraint fail the whole batch."""
    made = []
    for item in rendered:
        view = item.view
        statement = Statement(
            pool_id=run.pool_id,
            run_id=run.id or 0,
            contributor_organisation_id=view.contributor_id,
            period_start=run.period_start,
            period_end=run.period_end,
            serial=view.serial,
            language=view.language,
            currency=run.currency,
            gross_minor=view.gross_minor,
            adjustments_minor=view.adjustments_minor,
            withholding_minor=view.withholding_minor,
            net_payable_minor=view.net_payable_minor,
            issued_at=now,
        )
        session.add(statement)
        session.flush()
        for fmt, content in item.documents.items():
            store_document(session, statement, fmt, content, now)
        session.add(notice(statement, view, now))
        made.append(statement)
    session.flush()
    return made


def issue(
    session: Session,
    *,
    run: DistributionRun,
    contributor_ids: list[int],
    now: datetime,
    with_pdf: bool = True,
) -> list[Statement]:
    """Render and store in one go (the API's "issue now"; jobs render first, then store)."""
    rendered = render(
        session, run=run, contributor_ids=contributor_ids, issued_on=now.date(), with_pdf=with_pdf
    )
    return store(session, run=run, rendered=rendered, now=now)


NOTICE = {
    "en": (
        "Royalty statement {serial}: {pool}, {start} to {last}",
        "Dear {name},\n\nyour royalty statement {serial} for {pool}, period {start} to {last},"
        " is attached (net payable {net}). You can also download it, in HTML, PDF or CSV, from"
        " the pool's service; its SHA-256 digests are listed there.\n",
    ),
    "zh": (
        "专利许可费结算单 {serial}：{pool}，{start} 至 {last}",
        "{name}：\n\n附件为贵单位在{pool}的专利许可费结算单 {serial}（结算期间 {start} 至 {last}，"
        "应付净额 {net}）。也可在专利池服务中下载 HTML、PDF 或 CSV 版本，并核对其 SHA-256 摘要。\n",
    ),
}


def notice(statement: Statement, view: StatementView, now: datetime) -> OutboxMessage:
    """The e-mail that carries the statement, written with it (one per statement: the
    dedupe key is the serial), delivered by the outbox."""
    subject, body = NOTICE.get(view.language, NOTICE["en"])
    fields = {
        "serial": view.serial,
        "pool": view.pool_name,
        "name": view.contributor_name,
        "start": view.period_start.isoformat(),
        "last": (view.period_end - timedelta(days=1)).isoformat(),
        "net": format_minor(view.net_payable_minor, view.currency),
    }
    return OutboxMessage(
        kind="statement",
        pool_id=statement.pool_id,
        recipient_organisation_id=statement.contributor_organisation_id,
        subject=subject.format(**fields)[:300],
        body=body.format(**fields),
        dedupe_key=f"statement:{view.serial}",
        statement_id=statement.id,
        created_at=now,
    )


def store_document(
    session: Session, statement: Statement, fmt: DocumentFormat, content: bytes, now: datetime
) -> StatementDocument:
    document = StatementDocument(
        statement_id=statement.id or 0,
        format=fmt,
        content_type=CONTENT_TYPES[fmt],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size_bytes=len(content),
        created_at=now,
    )
    session.add(document)
    return document


class _Context:
    """What every statement of a run shares, loaded once per batch."""

    def __init__(self, session: Session, run: DistributionRun, orgs: list[int]) -> None:
        self.session = session
        self.run = run
        pool = session.get(Pool, run.pool_id)
        if pool is None:
            raise NotFound("pool not found")
        self.pool = pool
        self.orgs = {
            o.id: o
            for o in session.exec(select(Organisation).where(col(Organisation.id).in_(orgs))).all()
        }
        self.totals = {
            c.contributor_organisation_id: c
            for c in session.exec(
                select(RunContributor).where(
                    RunContributor.run_id == run.id,
                    col(RunContributor.contributor_organisation_id).in_(orgs),
                )
            ).all()
        }
        self.lines: dict[int, list[RunLine]] = defaultdict(list)
        for line in session.exec(
            select(RunLine)
            .where(RunLine.run_id == run.id, col(RunLine.contributor_organisation_id).in_(orgs))
            .order_by(col(RunLine.usage_start), col(RunLine.country))
        ).all():
            self.lines[line.contributor_organisation_id].append(line)
        self.periods = {
            (p.usage_start, p.usage_end): p
            for p in session.exec(select(RunUsagePeriod).where(RunUsagePeriod.run_id == run.id))
        }
        self.first_periods = _first_periods(session, self.periods.values())
        self.buckets = _bucket_totals(session, run)
        self.basis = _basis(session, run)
        self.memo = tuple(
            MemoLine(
                m.usage_start,
                m.usage_end,
                m.invoiced_minor,
                m.received_minor,
                m.outstanding_minor,
                m.deferred_minor,
            )
            for m in memo(session, pool_id=run.pool_id, before=run.period_end)
        )

    @classmethod
    def load(cls, session: Session, run: DistributionRun, orgs: list[int]) -> "_Context":
        return cls(session, run, orgs)

    def view(self, org: int, issued_on: date) -> StatementView:
        run, organisation = self.run, self.orgs.get(org)
        totals = self.totals.get(org)
        lines, adjustments = [], []
        for line in self.lines.get(org, []):
            if line.amount_minor == 0:
                continue
            period = self.periods[(line.usage_start, line.usage_end)]
            if period.first_run_id is None:
                change = self.buckets.get((line.usage_start, line.usage_end, line.country), 0)
                lines.append(
                    MoneyLine(
                        line.usage_start, line.usage_end, line.country, change, line.amount_minor
                    )
                )
            else:
                start, end = self.first_periods[period.first_run_id]
                adjustments.append(
                    AdjustmentLine(
                        line.usage_start,
                        line.usage_end,
                        line.country,
                        start,
                        end,
                        line.amount_minor,
                    )
                )
        return StatementView(
            language=statement_language(organisation.language if organisation else "en"),
            serial=serial_for(run.pool_id, run.period_start, org),
            issued_on=issued_on,
            currency=run.currency,
            pool_name=self.pool.name,
            pool_standard=self.pool.standard,
            contributor_name=organisation.name if organisation else str(org),
            contributor_id=org,
            period_start=run.period_start,
            period_end=run.period_end,
            basis=tuple(
                CountryBasis(country, mine, total)
                for country, (mine, total) in _basis_for(self.basis, org).items()
            ),
            lines=tuple(lines),
            adjustments=tuple(adjustments),
            memo=self.memo,
            pool_received_minor=run.received_minor,
            pool_admin_fee_minor=run.admin_fee_minor,
            pool_distributable_minor=run.distributable_minor,
            admin_fee_rate=self.pool.admin_fee_rate,
            gross_minor=totals.gross_minor if totals else 0,
            adjustments_minor=totals.adjustments_minor if totals else 0,
            withholding_rate=totals.withholding_rate
            if totals
            else (organisation.withholding_rate if organisation else "0"),
            withholding_minor=totals.withholding_minor if totals else 0,
            net_payable_minor=totals.net_payable_minor if totals else 0,
            run_id=run.id or 0,
            formula_version=run.formula_version,
            input_sha256=run.input_sha256,
        )


def _first_periods(
    session: Session, periods: Iterable[RunUsagePeriod]
) -> dict[int, tuple[date, date]]:
    """The statement period of the run that first distributed each re-opened usage period."""
    ids = {p.first_run_id for p in periods if p.first_run_id is not None}
    runs = session.exec(select(DistributionRun).where(col(DistributionRun.id).in_(ids))).all()
    return {r.id or 0: (r.period_start, r.period_end) for r in runs}


def _bucket_totals(session: Session, run: DistributionRun) -> dict[tuple[date, date, str], int]:
    """Each country bucket's distributable money (pool-wide) for the usage periods of the run.
    For a usage period distributed for the first time it is also the change in this run."""
    now_rows = session.exec(
        select(
            col(RunLine.usage_start),
            col(RunLine.usage_end),
            col(RunLine.country),
            func.max(RunLine.bucket_distributable_cumulative_minor),
        )
        .where(RunLine.run_id == run.id)
        .group_by(col(RunLine.usage_start), col(RunLine.usage_end), col(RunLine.country))
    ).all()
    return {(s, e, c): int(total) for s, e, c, total in now_rows}


def _basis(session: Session, run: DistributionRun) -> dict[int, dict[str, int]]:
    """Patents in the pool on the period's last day, per owner and country."""
    last_day = run.period_end - timedelta(days=1)
    rows = session.exec(
        select(Patent.owner_organisation_id, PatentInclusion.country, func.count())
        .join(Patent, col(Patent.id) == PatentInclusion.patent_id)
        .where(
            PatentInclusion.pool_id == run.pool_id,
            col(PatentInclusion.start_on) <= last_day,
            or_(col(PatentInclusion.end_on).is_(None), col(PatentInclusion.end_on) > last_day),
        )
        .group_by(col(Patent.owner_organisation_id), col(PatentInclusion.country))
    ).all()
    basis: dict[int, dict[str, int]] = defaultdict(dict)
    for owner, country, count in rows:
        basis[owner][country] = int(count)
    return basis


def _basis_for(basis: dict[int, dict[str, int]], org: int) -> dict[str, tuple[int, int]]:
    totals: dict[str, int] = defaultdict(int)
    for counts in basis.values():
        for country, count in counts.items():
            totals[country] += count
    mine = basis.get(org, {})
    return {country: (mine.get(country, 0), totals[country]) for country in sorted(totals)}


def issue_all_for(
    session: Session, *, principal: Principal, run_id: int, now: datetime
) -> list[Statement]:
    """Issue every pending statement of an approved run now (administrators); the scheduled
    job does the same in batches."""
    principal.require_staff()
    run = session.get(DistributionRun, run_id)
    if run is None:
        raise NotFound("distribution run not found")
    principal.require_admin()
    return issue(session, run=run, contributor_ids=pending(session, run), now=now)


# ---------------------------------------------------------------- reading (scoped)


def _scope(principal: Principal) -> int | None:
    """None for staff (everything); the contributor's organisation otherwise."""
    if principal.sees_everything:
        return None
    if principal.role != Role.CONTRIBUTOR or principal.organisation_id is None:
        raise Forbidden("statements are for contributors, administrators and auditors")
    return principal.organisation_id


def read_model(session: Session, statement: Statement) -> StatementRead:
    documents = session.exec(
        select(StatementDocument)
        .where(StatementDocument.statement_id == statement.id)
        .order_by(col(StatementDocument.format))
    ).all()
    return StatementRead.model_validate(
        {
            **statement.model_dump(),
            "documents": [StatementDocumentRead.model_validate(d) for d in documents],
        }
    )


def listing(
    session: Session,
    *,
    principal: Principal,
    pool_id: int | None,
    period_start: date | None,
    serial: str | None,
    limit: int,
    offset: int,
) -> Page[StatementRead]:
    scope = _scope(principal)
    query = select(Statement)
    if scope is not None:
        query = query.where(Statement.contributor_organisation_id == scope)
    if pool_id is not None:
        query = query.where(Statement.pool_id == pool_id)
    if period_start is not None:
        query = query.where(Statement.period_start == period_start)
    if serial is not None:
        query = query.where(Statement.serial == serial)
    query = query.order_by(col(Statement.period_start).desc(), col(Statement.id))
    return paginate(
        session, query, limit=limit, offset=offset, convert=lambda s: read_model(session, s)
    )


def get(session: Session, *, principal: Principal, statement_id: int) -> Statement:
    """Another contributor's statement answers 404, as a missing one does."""
    statement = session.get(Statement, statement_id)
    if principal.role == Role.LICENSEE or statement is None:
        raise NotFound("statement not found")
    principal.require_staff_or_org(statement.contributor_organisation_id, "statement")
    return statement


def document(
    session: Session, *, principal: Principal, statement_id: int, fmt: DocumentFormat
) -> tuple[Statement, StatementDocument]:
    statement = get(session, principal=principal, statement_id=statement_id)
    stored = session.exec(
        select(StatementDocument).where(
            StatementDocument.statement_id == statement.id, StatementDocument.format == fmt
        )
    ).first()
    if stored is None:
        raise NotFound(f"the {fmt} document of statement {statement.serial} is not rendered yet")
    return statement, stored
