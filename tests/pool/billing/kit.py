"""Building invoices for billing tests: rows plus the same ledger entry the invoice service
posts, so payments can be tested before (and independently of) report-driven invoicing."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from pool.auth import Principal
from pool.models.billing import Invoice, InvoiceInstalment, Payment, PaymentCreate
from pool.models.ledger import Posting
from pool.models.licensing import LicenceAgreement, LicenceTerms
from pool.services.billing import ledger, payments
from tests.pool.conftest import admin_principal

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


def recorded_on(day: date) -> datetime:
    """When money dated `day` is recorded: not before it arrived (no date that moves money
    lies in the future), nor before NOW."""
    return max(NOW, datetime.combine(day, time(12), UTC))


LATE_INTEREST = {"net_days": 30, "late_interest": {"annual_percent": "7.3"}}


def agreement(
    session: Session,
    *,
    pool_id: int,
    licensee_id: int,
    payment_terms: dict[str, Any] | None = None,
    version: str | None = None,
    royalty_terms: dict[str, Any] | None = None,
) -> int:
    """An active agreement; its royalty terms charge nothing unless given (fixed fees and
    reports parse them, so the default is valid `contracts` terms)."""
    terms = LicenceTerms(
        pool_id=pool_id,
        version=version or f"v-{licensee_id}",
        royalty_terms=royalty_terms
        if royalty_terms is not None
        else {
            "terms_version": version or f"v-{licensee_id}",
            "currency": "USD",
            "minor_unit_exponent": 2,
        },
        payment_terms=payment_terms if payment_terms is not None else LATE_INTEREST,
        sha256="0" * 64,
        created_at=NOW,
    )
    session.add(terms)
    session.flush()
    row = LicenceAgreement(
        pool_id=pool_id,
        licensee_organisation_id=licensee_id,
        terms_id=terms.id or 0,
        licence_type="ordinary",
        signed_on=date(2024, 12, 1),
        start_on=date(2025, 1, 1),
        end_on=date(2028, 1, 1),
        state="active",
        state_changed_on=date(2024, 12, 1),
        created_at=NOW,
    )
    session.add(row)
    session.flush()
    return row.id or 0


def invoice(
    session: Session,
    *,
    agreement_id: int,
    number: str,
    usage: tuple[date, date],
    issued_on: date,
    parts: Sequence[tuple[date | None, int]],
    now: datetime = NOW,
) -> Invoice:
    """An invoice whose `parts` are (due date, amount); parts due by `issued_on` are
    receivable at once, the others deferred."""
    deal = session.get(LicenceAgreement, agreement_id)
    assert deal is not None
    row = Invoice(
        pool_id=deal.pool_id,
        agreement_id=agreement_id,
        licensee_organisation_id=deal.licensee_organisation_id,
        kind="royalty",
        number=number,
        currency="USD",
        usage_start=usage[0],
        usage_end=usage[1],
        issued_on=issued_on,
        due_on=min((d for d, _ in parts if d is not None), default=None),
        total_minor=sum(amount for _, amount in parts),
        created_at=now,
    )
    session.add(row)
    session.flush()
    session.add_all(
        InvoiceInstalment(invoice_id=row.id or 0, due_on=due_on, amount_minor=amount)
        for due_on, amount in parts
    )
    session.flush()
    due = sum(a for d, a in parts if d is not None and d <= issued_on)
    ledger.post_invoice_issued(
        session, invoice=row, due_now_minor=due, deferred_minor=row.total_minor - due, now=now
    )
    return row


def admin(world: Any) -> Principal:
    return admin_principal(world.admin)


def pay(
    session: Session,
    world: Any,
    *,
    reference: str,
    amount_minor: int,
    on: date,
    payer: int | None = None,
) -> Payment:
    payment, _ = payments.record(
        session,
        principal=admin(world),
        pool_id=world.pool_id,
        data=PaymentCreate(
            licensee_organisation_id=payer or world.licensee.organisation_id,
            reference=reference,
            amount_minor=amount_minor,
            currency="USD",
            received_on=on,
        ),
        now=recorded_on(on),
    )
    return payment


def balances(session: Session, licensee_id: int) -> dict[str, int]:
    """Sum of postings per account for one licensee."""
    rows = session.exec(
        select(Posting.account, func.sum(Posting.amount_minor))
        .where(Posting.licensee_organisation_id == licensee_id)
        .group_by(Posting.account)
    ).all()
    return {account: int(total) for account, total in rows if int(total) != 0}
