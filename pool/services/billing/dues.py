"""When money falls due and what lateness costs: deferred parts moved to `receivable` on
their due date, overdue parts and late interest per the agreement's payment terms."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from contracts.payment import LateInterest, late_interest, parse_payment_terms
from pool.models.billing import Invoice, PaymentAllocation
from pool.models.licensing import LicenceAgreement, LicenceTerms
from pool.services import audit
from pool.services.billing import booking, ledger, licensee_money
from pool.services.billing.settlement import OPEN, SYSTEM, apply_credit


def recognise_due(session: Session, *, pool_id: int, as_of: date, now: datetime) -> int:
    """Move what is unpaid of deferred parts whose due date has come (on or before `as_of`)
    to `receivable`: Dr receivable / Cr deferred_receivable, dated the due date (a part paid
    early moves nothing, but is marked handled). Safe to run twice or on two workers: one
    entry per part (database constraint); returns how many parts were handled."""
    invoices = session.exec(
        select(Invoice).where(Invoice.pool_id == pool_id, Invoice.status == OPEN)
    ).all()
    moved = 0
    licensees: set[int] = set()
    for invoice in sorted(invoices, key=lambda inv: inv.id or 0):
        for found in booking.bookings(session, invoice):
            part = found.part
            if found.in_receivable or part.due_on is None or part.due_on > as_of:
                continue
            licensee_money.serialize(session, invoice.licensee_organisation_id)
            booking.recognise_part(
                session,
                invoice,
                found,
                occurred_on=part.due_on,
                memo=f"invoice {invoice.number}: deferred part due {part.due_on}",
                now=now,
            )
            _audit_due(session, invoice, part, found.unpaid_minor, now=now)
            moved += 1
            licensees.add(invoice.licensee_organisation_id)
    for licensee in sorted(licensees):
        apply_credit(session, pool_id=pool_id, licensee_organisation_id=licensee, now=now)
    return moved


def _audit_due(
    session: Session, invoice: Invoice, part: ledger.Part, unpaid: int, *, now: datetime
) -> None:
    audit.record(
        session,
        actor=SYSTEM,
        action="invoice.part_fell_due",
        entity_type="invoice",
        entity_id=invoice.id,
        pool_id=invoice.pool_id,
        after={
            "due_on": str(part.due_on),
            "amount_minor": part.amount_minor,
            "unpaid_minor": unpaid,
        },
        now=now,
    )


@dataclass(frozen=True)
class OverduePart:
    """A part of an invoice past its due date and not (fully) paid by `as_of`."""

    invoice: Invoice
    due_on: date
    amount_minor: int
    outstanding_minor: int
    days_late: int
    interest_minor: int  # on the outstanding amount to `as_of`, plus on parts paid late


def _chunks(
    parts: list[ledger.Part], payments: list[tuple[date, int]]
) -> list[list[tuple[date, int]]]:
    """Which payments (date, amount) settled which part: parts fill in due order, payments in
    date order, exactly as `settlement.allocate` fills them."""
    filled: list[list[tuple[date, int]]] = [[] for _ in parts]
    queue = list(payments)
    for index, part in enumerate(parts):
        need = part.amount_minor
        while need and queue:
            on, amount = queue[0]
            take = min(need, amount)
            filled[index].append((on, take))
            need -= take
            queue[0] = (on, amount - take)
            if queue[0][1] == 0:
                queue.pop(0)
    return filled


def lateness(session: Session, invoice: Invoice, *, as_of: date) -> list[OverduePart | None]:
    """For each part of the invoice (`ledger.parts_of` order): how late it is at `as_of`, or
    None when it is not due before `as_of` or is paid by then (see `lateness_of`)."""
    rows = session.exec(
        select(PaymentAllocation)
        .where(PaymentAllocation.invoice_id == invoice.id)
        .order_by(col(PaymentAllocation.allocated_on), col(PaymentAllocation.id))
    ).all()
    return lateness_of(
        invoice,
        ledger.parts_of(session, invoice),
        [(row.allocated_on, row.amount_minor) for row in rows],
        late_interest_terms(session, invoice),
        as_of=as_of,
    )


def lateness_of(
    invoice: Invoice,
    parts: list[ledger.Part],
    allocations: list[tuple[date, int]],
    terms: LateInterest | None,
    *,
    as_of: date,
) -> list[OverduePart | None]:
    """`lateness` from what was read already: the parts in due order, the allocations (date,
    amount) in settlement order, the agreement's late-interest terms. Late interest per
    `contracts.late_interest` (simple interest, rounded once per amount) on the outstanding
    amount and on each amount paid late."""
    paid = [(on, amount) for on, amount in allocations if on <= as_of]
    found: list[OverduePart | None] = []
    for part, chunks in zip(parts, _chunks(parts, paid), strict=True):
        outstanding = part.amount_minor - sum(amount for _, amount in chunks)
        if part.due_on is None or part.due_on >= as_of or outstanding == 0:
            found.append(None)
            continue
        interest = 0
        if terms is not None:
            owed = [*chunks, (as_of, outstanding)]
            interest = sum(
                late_interest(amount, due_on=part.due_on, paid_on=on, terms=terms)
                for on, amount in owed
            )
        days = (as_of - part.due_on).days
        found.append(
            OverduePart(invoice, part.due_on, part.amount_minor, outstanding, days, interest)
        )
    return found


def overdue_parts(session: Session, invoice: Invoice, *, as_of: date) -> list[OverduePart]:
    """Parts due before `as_of` and unpaid at `as_of`, with their late interest."""
    return [p for p in lateness(session, invoice, as_of=as_of) if p is not None]


def late_interest_terms(session: Session, invoice: Invoice) -> LateInterest | None:
    """The late interest the invoice's agreement's terms charge (None: no agreement)."""
    if invoice.agreement_id is None:  # an evaluation fee: no terms charge interest on it
        return None
    agreement = session.get(LicenceAgreement, invoice.agreement_id)
    terms = session.get(LicenceTerms, agreement.terms_id) if agreement else None
    if terms is None:
        return None
    return parse_payment_terms(terms.payment_terms).late_interest


def overdue(
    session: Session, *, pool_id: int | None, licensee_organisation_id: int | None, as_of: date
) -> list[OverduePart]:
    """Every overdue part (open invoices), oldest due first, then by invoice id."""
    query = select(Invoice).where(Invoice.status == OPEN)
    if pool_id is not None:
        query = query.where(Invoice.pool_id == pool_id)
    if licensee_organisation_id is not None:
        query = query.where(Invoice.licensee_organisation_id == licensee_organisation_id)
    found = [
        p for inv in session.exec(query).all() for p in overdue_parts(session, inv, as_of=as_of)
    ]
    return sorted(found, key=lambda p: (p.due_on, p.invoice.id or 0))
