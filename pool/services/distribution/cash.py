"""Money actually received, attributed to the usage period it pays for and to country buckets.

What a distribution run splits is cash, never invoiced amounts (DESIGN.md section 3). A
payment settles invoices (`payment_allocation` rows, dated when they settled); each invoice
is for one usage period, and its lines name the countries of manufacture and of sale. So the
money received for an invoice up to a day is apportioned over its lines' country pairs in
proportion to the line amounts (largest remainder, ties by country pair), and summed per
usage period. A fixed fee (entry or annual fee) has no countries: it is attributed to the
licensee's own country, where the licence is exercised unless a report says otherwise.

All figures are cumulative up to a cut-off day: a run re-apportions the cumulative amount of a
usage period and pays the difference from what was paid before, so a payment in parts gives
exactly the result of one payment of the whole."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import func
from sqlalchemy import select as select_rows
from sqlmodel import Session, col, select

from allocation.apportion import apportion
from pool.models.billing import (
    Invoice,
    InvoiceInstalment,
    InvoiceKind,
    InvoiceLine,
    PaymentAllocation,
)
from pool.models.organisation import Organisation

UsagePeriod = tuple[date, date]
CountryPair = tuple[str, str]  # (country of sale, country of manufacture)
NOT_EXPECTED = ("cancelled", "written_off")
# An evaluation fee is the pool's income from a contributor, not a licensee's royalty: no
# run splits it, and the memo of royalties not yet received leaves it out.
SHARED = col(Invoice.kind) != InvoiceKind.EVALUATION_FEE
IN_CHUNK = 5000  # ids per IN (...) list
T = TypeVar("T")


@dataclass(frozen=True)
class MemoRow:
    """Pool-wide, for one usage period: invoiced, received, and the unpaid rest split into
    what is due and what is deferred (not yet due) at the cut-off."""

    usage_start: date
    usage_end: date
    invoiced_minor: int
    received_minor: int
    outstanding_minor: int
    deferred_minor: int


def received_by_invoice(session: Session, *, pool_id: int, before: date) -> dict[int, int]:
    """Cumulative money applied to each royalty or licence-fee invoice of the pool before
    `before` (releases of a cancelled invoice's payments are negative rows, so a cancelled
    invoice nets to zero). Evaluation fees are not shared, so not here."""
    rows = session.exec(
        select(PaymentAllocation.invoice_id, func.sum(PaymentAllocation.amount_minor))
        .join(Invoice, col(Invoice.id) == PaymentAllocation.invoice_id)
        .where(Invoice.pool_id == pool_id, col(PaymentAllocation.allocated_on) < before, SHARED)
        .group_by(col(PaymentAllocation.invoice_id))
    ).all()
    return {invoice_id: int(total) for invoice_id, total in rows if total}


def received_by_usage_period(
    session: Session, *, pool_id: int, before: date
) -> dict[UsagePeriod, int]:
    """Cumulative money received per usage period before `before`."""
    received = received_by_invoice(session, pool_id=pool_id, before=before)
    totals: dict[UsagePeriod, int] = defaultdict(int)
    for invoice in _invoices(session, received):
        totals[(invoice.usage_start, invoice.usage_end)] += received[invoice.id or 0]
    return dict(totals)


def buckets_for(
    session: Session, *, pool_id: int, before: date, periods: Iterable[UsagePeriod]
) -> dict[UsagePeriod, dict[CountryPair, int]]:
    """For the usage periods asked for: cumulative money per country pair (zero pairs left
    out). Each invoice's money is apportioned over its lines by line amount."""
    wanted = set(periods)
    received = received_by_invoice(session, pool_id=pool_id, before=before)
    invoices = [
        inv for inv in _invoices(session, received) if (inv.usage_start, inv.usage_end) in wanted
    ]
    weights = _line_weights(session, invoices)
    result: dict[UsagePeriod, dict[CountryPair, int]] = {p: defaultdict(int) for p in wanted}
    for invoice in invoices:
        pairs = weights.get(invoice.id or 0) or {}
        if not pairs:  # a fixed fee: the licensee's own country
            country = _licensee_country(session, invoice)
            pairs = {(country, country): 1}
        keys = sorted(pairs)
        parts = apportion(
            received[invoice.id or 0], [pairs[k] for k in keys], [f"{s}{m}" for s, m in keys]
        )
        bucket = result[(invoice.usage_start, invoice.usage_end)]
        for key, part in zip(keys, parts, strict=True):
            bucket[key] += part
    return {p: {k: v for k, v in sorted(b.items()) if v} for p, b in result.items()}


def _invoices(session: Session, received: dict[int, int]) -> list[Invoice]:
    """The invoices with money received, by id. In chunks: `received` holds every invoice
    ever paid in the pool, and PostgreSQL refuses a statement with more than 65,535 bound
    parameters (a pool of 2,000 licensees reporting quarterly reaches that in 8 years)."""
    invoices: list[Invoice] = []
    for chunk in _chunks(sorted(received), IN_CHUNK):
        invoices += session.exec(select(Invoice).where(col(Invoice.id).in_(chunk))).all()
    return sorted(invoices, key=lambda invoice: invoice.id or 0)


def _line_weights(session: Session, invoices: list[Invoice]) -> dict[int, dict[CountryPair, int]]:
    """Charged amount per invoice and country pair (lines without countries left out)."""
    ids = [inv.id for inv in invoices]
    weights: dict[int, dict[CountryPair, int]] = defaultdict(dict)
    for chunk in _chunks(ids, IN_CHUNK):
        rows = session.execute(
            select_rows(
                col(InvoiceLine.invoice_id),
                col(InvoiceLine.country_of_sale),
                col(InvoiceLine.country_of_manufacture),
                func.sum(InvoiceLine.amount_minor),
            )
            .where(
                col(InvoiceLine.invoice_id).in_(chunk),
                col(InvoiceLine.country_of_sale).is_not(None),
                col(InvoiceLine.amount_minor) > 0,
            )
            .group_by(
                col(InvoiceLine.invoice_id),
                col(InvoiceLine.country_of_sale),
                col(InvoiceLine.country_of_manufacture),
            )
        ).all()
        for invoice_id, sale, made, total in rows:
            weights[invoice_id][(sale or "", made or sale or "")] = int(total)
    return weights


def _licensee_country(session: Session, invoice: Invoice) -> str:
    organisation = session.get(Organisation, invoice.licensee_organisation_id)
    return organisation.country if organisation else "CN"


def _chunks(items: list[T], size: int) -> Iterable[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def memo(session: Session, *, pool_id: int, before: date) -> list[MemoRow]:
    """Invoiced but not received at the cut-off, per usage period, pool-wide (licensee detail
    stays with the administrator). Cancelled and written-off invoices are not expected."""
    invoices = session.exec(
        select(Invoice).where(
            Invoice.pool_id == pool_id,
            col(Invoice.issued_on) < before,
            col(Invoice.status).not_in(NOT_EXPECTED),
            SHARED,
        )
    ).all()
    received = received_by_invoice(session, pool_id=pool_id, before=before)
    deferred = _deferred_by_invoice(session, [inv.id for inv in invoices], before)
    rows: dict[UsagePeriod, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for invoice in invoices:
        paid = received.get(invoice.id or 0, 0)
        unpaid = invoice.total_minor - paid
        if unpaid <= 0:
            continue
        not_due = deferred.get(invoice.id or 0)
        if not_due is None:  # no instalment rows: the invoice is one part
            due_on = invoice.due_on
            not_due = invoice.total_minor if due_on is None or due_on >= before else 0
        later = min(unpaid, not_due)
        row = rows[(invoice.usage_start, invoice.usage_end)]
        row[0] += invoice.total_minor
        row[1] += paid
        row[2] += unpaid - later
        row[3] += later
    return [MemoRow(start, end, *row) for (start, end), row in sorted(rows.items())]


def _deferred_by_invoice(session: Session, ids: list[int | None], before: date) -> dict[int, int]:
    """The part of each invoice not yet due at the cut-off (due later, or with no date yet).

    Payments fill parts in due order, so unpaid money sits in the latest parts first: the
    deferred share of the unpaid rest is at most the sum of the parts not yet due. Invoices
    without instalment rows are left out (the caller reads their own due date)."""
    result: dict[int, int] = {}
    for chunk in _chunks(ids, IN_CHUNK):
        rows = session.execute(
            select_rows(
                col(InvoiceInstalment.invoice_id),
                col(InvoiceInstalment.due_on),
                col(InvoiceInstalment.amount_minor),
            ).where(col(InvoiceInstalment.invoice_id).in_(chunk))
        ).all()
        for invoice_id, due_on, amount in rows:
            later = due_on is None or due_on >= before
            result[invoice_id] = result.get(invoice_id, 0) + (amount if later else 0)
    return result
