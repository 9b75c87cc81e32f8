"""The demo year's events through the real services, each as its actor would do it:
licences signed (the open offer accepted, or a negotiated agreement), products registered,
contracts filed, reports and corrections submitted, payments recorded.
`scheduler/demo/year.py` decides when each happens."""

import random
from datetime import date, datetime

from sqlmodel import Session, col, select

from contracts import AgreementState, FixedFee, fixed_fees
from pool.models.billing import PaymentCreate
from pool.models.licensing import (
    AgreementCreate,
    AgreementMove,
    FilingCreate,
    LicenceAgreement,
    ProductCreate,
)
from pool.models.patent import Patent, PatentStatus
from pool.models.reporting import (
    NilReportCreate,
    ReportStatus,
    UsageLineIn,
    UsageReport,
    UsageReportCorrection,
    UsageReportCreate,
)
from pool.services import reports
from pool.services.billing import payments
from pool.services.licensing import agreements, offers, products, terms
from pool.services.reports import csv_import as report_import
from scheduler.demo.founding import Built
from scheduler.demo.records import CURRENCY, LicenseePlan
from scheduler.demo.usage import PRODUCTS, as_csv


def sign(session: Session, built: Built, licensee: LicenseePlan, *, now: datetime) -> int:
    """The licence: the open offer accepted online by the licensee itself, or a negotiated
    agreement the administrator drafts and activates. Returns the agreement id."""
    if licensee.deal == "open":
        made = offers.accept(
            session, principal=built.users[licensee.org.key], offer_id=built.offer_id, now=now
        )
        return made.id or 0
    today = now.date()
    draft = agreements.create(
        session,
        principal=built.admin,
        data=AgreementCreate(
            pool_id=built.pool_id,
            licensee_organisation_id=built.orgs[licensee.org.key],
            terms_id=built.terms[licensee.deal],
            territory="worldwide",
            product_categories=list(licensee.categories),
            signed_on=today,
            start_on=today,
            end_on=today.replace(year=today.year + 3),
            payment_method="bank_transfer",
        ),
        now=now,
    )
    agreements.move(
        session,
        principal=built.admin,
        agreement_id=draft.id or 0,
        data=AgreementMove(to=AgreementState.ACTIVE, on=today),
        now=now,
    )
    return draft.id or 0


def register_products(
    session: Session, built: Built, licensee: LicenseePlan, agreement_id: int, *, now: datetime
) -> dict[str, int]:
    """One filed product per licensed category, linked to a few pool patents."""
    rng = random.Random(f"{licensee.org.key}:products")
    accepted = accepted_patents(session, built.pool_id)  # expired ones can no longer be cited
    made: dict[str, int] = {}
    for category in licensee.categories:
        english, chinese = PRODUCTS[category]
        name = chinese if licensee.org.language == "zh-CN" else english
        product = products.register(
            session,
            principal=built.users[licensee.org.key],
            agreement_id=agreement_id,
            data=ProductCreate(
                name=f"{name} {rng.choice('ABCDEFGHKMNPRSTXZ')}{rng.randint(1, 9)}",
                model=f"{category[:2].upper()}-{rng.randint(100, 990)}",
                category=category,
                patent_ids=sorted(rng.sample(accepted, min(5, len(accepted)))),
            ),
            now=now,
        )
        made[category] = product.id or 0
    return made


def file_contract(
    session: Session, built: Built, agreement_id: int, number: str, *, now: datetime
) -> None:
    """The licence contract's filing (备案) with its number, recorded by the administrator."""
    agreements.record_filing(
        session,
        principal=built.admin,
        agreement_id=agreement_id,
        data=FilingCreate(filing_number=number, filed_on=now.date()),
        now=now,
    )


def submit_report(
    session: Session,
    built: Built,
    licensee: LicenseePlan,
    agreement_id: int,
    lines: list[UsageLineIn],
    *,
    period_start: date,
    now: datetime,
) -> int | None:
    """The licensee's report (JSON, or CSV for the large makers; a nil report when nothing
    was made or sold). Returns the invoice it issued, if any."""
    who = built.users[licensee.org.key]
    if not lines:
        data: UsageReportCreate | NilReportCreate = NilReportCreate(period_start=period_start)
        receipt = reports.submit(
            session, principal=who, agreement_id=agreement_id, data=data, now=now
        )
    elif licensee.by_csv:
        receipt = report_import.import_csv(
            session,
            principal=who,
            agreement_id=agreement_id,
            period_start=period_start,
            currency=CURRENCY,
            content=as_csv(lines),
            now=now,
        )
    else:
        data = UsageReportCreate(period_start=period_start, currency=CURRENCY, lines=lines)
        receipt = reports.submit(
            session, principal=who, agreement_id=agreement_id, data=data, now=now
        )
    return receipt.invoice_id


def correct_report(
    session: Session,
    built: Built,
    licensee: LicenseePlan,
    agreement_id: int,
    lines: list[UsageLineIn],
    *,
    period_start: date,
    now: datetime,
) -> int | None:
    """Supersede the period's current report (its invoice is cancelled, payments on it
    become credit that settles the new invoice first)."""
    current = session.exec(
        select(UsageReport.id).where(
            UsageReport.agreement_id == agreement_id,
            UsageReport.period_start == period_start,
            UsageReport.status == ReportStatus.ACCEPTED,
        )
    ).one()
    receipt = reports.correct(
        session,
        principal=built.users[licensee.org.key],
        report_id=current or 0,
        data=UsageReportCorrection(currency=CURRENCY, lines=lines),
        now=now,
    )
    return receipt.invoice_id


def pay(
    session: Session,
    built: Built,
    licensee_key: str,
    *,
    reference: str,
    amount_minor: int,
    on: date,
    now: datetime,
) -> None:
    """A bank receipt, recorded by the administrator (it settles the oldest due parts)."""
    payments.record(
        session,
        principal=built.admin,
        pool_id=built.pool_id,
        data=PaymentCreate(
            licensee_organisation_id=built.orgs[licensee_key],
            reference=reference,
            amount_minor=amount_minor,
            currency=CURRENCY,
            received_on=on,
        ),
        now=now,
    )


def fixed_fees_of(session: Session, agreement_id: int) -> tuple[FixedFee, ...]:
    """The entry and annual fees the agreement's terms set, with their dates."""
    agreement = session.get_one(LicenceAgreement, agreement_id)
    royalty, _ = terms.royalty_terms_of(session, agreement)
    return fixed_fees(royalty, start=agreement.start_on, end=agreement.end_on)


def accepted_patents(session: Session, pool_id: int) -> list[int]:
    rows = session.exec(
        select(Patent.id)
        .where(Patent.pool_id == pool_id, Patent.status == PatentStatus.ACCEPTED)
        .order_by(col(Patent.id))
    ).all()
    return [pid for pid in rows if pid is not None]
