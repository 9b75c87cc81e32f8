"""Contributor statements: issued from an approved run, once per contributor, pool and period,
rendered to stored documents whose bytes never change (views: `context`; reading,
scoped to the contributor, administrators and auditors: `reading`).

Issuing is idempotent: contributors that already have their statement are skipped, and the
unique constraint on (pool, contributor, period) refuses a concurrent duplicate, so a job
killed half-way and run again finishes the rest with no gap and no duplicate."""

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, or_, select

from pool.auth import Principal
from pool.errors import Conflict, NotFound
from pool.models.distribution import (
    DistributionRun,
    DocumentFormat,
    RunContributor,
    RunStatus,
    Statement,
    StatementDocument,
)
from pool.models.membership import Membership
from pool.rendering import Phrase
from pool.services import audit
from pool.services.statements import documents as statement_documents
from pool.services.statements import fonts, pdf_workers
from pool.services.statements.context import StatementContext, serial_for, statement_language
from pool.services.statements.notices import notice
from pool.services.statements.reading import document, get, listing, read_model, read_one
from pool.services.statements.view import StatementView

ISSUER = audit.Actor.system("statements")
CONTENT_TYPES = {
    DocumentFormat.HTML: "text/html; charset=utf-8",
    DocumentFormat.CSV: "text/csv; charset=utf-8",
    DocumentFormat.PDF: "application/pdf",
}


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
    audit_head: audit.Head | None,
    with_pdf: bool = True,
) -> list[Rendered]:
    """Build and render the statements of `contributor_ids` (those still pending). Reads
    only: rendering (PDF above all) is slow, so it happens before the write transaction.
    `audit_head`, the head the batch's checkpoint signs, is printed in every document."""
    if run.status != RunStatus.APPROVED:
        raise Conflict(
            Phrase(
                "run %(run)s is %(status)s; statements come from approved runs",
                run=run.id,
                status=run.status,
            )
        )
    wanted = sorted(set(contributor_ids) & set(pending(session, run)))
    if not wanted:
        return []
    context = StatementContext.load(session, run, wanted)
    rendered = []
    for org in wanted:
        view = context.view(org, issued_on)
        if audit_head is not None:
            view = dataclasses.replace(
                view, audit_event_id=audit_head.event_id, audit_head_hash=audit_head.head_hash
            )
        html = statement_documents.render_html(view)
        documents = {
            DocumentFormat.HTML: html,
            DocumentFormat.CSV: statement_documents.render_csv(view),
        }
        rendered.append(Rendered(view, documents))
    if with_pdf:  # in worker processes: both cores, and native memory given back
        if any(item.view.language == "zh" for item in rendered):
            fonts.require_cjk_font()  # never a Chinese PDF of boxes: 503, nothing stored
        pdfs = pdf_workers.render_pdfs([r.documents[DocumentFormat.HTML] for r in rendered])
        for item, pdf in zip(rendered, pdfs, strict=True):
            item.documents[DocumentFormat.PDF] = pdf
    return rendered


def store(
    session: Session,
    *,
    run: DistributionRun,
    rendered: list[Rendered],
    now: datetime,
    actor: audit.Actor = ISSUER,
) -> list[Statement]:
    """Write rendered statements and their documents in the caller's transaction, each
    audited (`statement.issued`: its totals and the SHA-256 of each stored document). One
    issued meanwhile by another worker makes the unique constraint fail the whole batch."""
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
    audit.record_many(
        session,
        [
            (
                "statement.issued",
                "statement",
                statement.id,
                None,
                audit.money_state(session, statement),
                statement.pool_id,
            )
            for statement in made
        ],
        actor=actor,
        now=now,
    )
    return made


def issue(
    session: Session,
    *,
    run: DistributionRun,
    contributor_ids: list[int],
    now: datetime,
    audit_keys: audit.Keyring,
    with_pdf: bool = True,
    actor: audit.Actor = ISSUER,
) -> list[Statement]:
    """Render and store in one go (the API's "issue now"; jobs render first, then store).
    The documents carry the chain's head as rendering starts; the checkpoint that signs it
    comes last, so the chain lock it takes is held only until the commit, as an append's."""
    head = None
    if run.status == RunStatus.APPROVED and set(contributor_ids) & set(pending(session, run)):
        head = audit.current_head(session)
    rendered = render(
        session,
        run=run,
        contributor_ids=contributor_ids,
        issued_on=now.date(),
        audit_head=head,
        with_pdf=with_pdf,
    )
    made = store(session, run=run, rendered=rendered, now=now, actor=actor)
    if head is not None:
        audit.take_checkpoint(session, keys=audit_keys, now=now, reason="statements", pin=head)
    return made


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


def issue_all_for(
    session: Session,
    *,
    principal: Principal,
    run_id: int,
    now: datetime,
    audit_keys: audit.Keyring,
) -> list[Statement]:
    """Issue every pending statement of an approved run now (administrators); the scheduled
    job does the same in batches."""
    principal.require_staff()
    run = session.get(DistributionRun, run_id)
    if run is None:
        raise NotFound("distribution run not found")
    principal.require_admin()
    return issue(
        session,
        run=run,
        contributor_ids=pending(session, run),
        now=now,
        audit_keys=audit_keys,
        actor=audit.Actor.of(principal),
    )


__all__ = [
    "CONTENT_TYPES",
    "Rendered",
    "StatementContext",
    "document",
    "get",
    "issue",
    "issue_all_for",
    "listing",
    "notice",
    "pending",
    "read_model",
    "read_one",
    "recipients",
    "render",
    "serial_for",
    "statement_language",
    "store",
    "store_document",
]
