"""An invoice as its document shows it: every figure computed here, in integer minor units, at
one date (`as_of`, the day the document is produced); the template only formats.

Scoped as the invoice is (`invoices.get`): a licensee its own, staff every one, anyone else
404. The payee and the fapiao details are read for this invoice only."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from pool.auth import Principal
from pool.errors import NotFound
from pool.models.billing import Invoice, InvoiceLineRead
from pool.models.organisation import FapiaoDetails, Organisation
from pool.models.patent import Patent
from pool.models.pool import PoolPayee
from pool.services import pools
from pool.services.accounts import fapiao
from pool.services.billing import invoices
from pool.services.billing.position import (
    InvoicePosition,
    PartPosition,
    PartState,
    invoice_position,
)
from pool.services.pools import payee
from pool.validation.bank import grouped

LOCALES = {"en": "en", "zh": "zh_CN"}  # an organisation's language -> the Babel locale


@dataclass(frozen=True)
class PayeeView:
    legal_name: str
    bank_name: str
    account_number: str  # an IBAN in groups of four
    swift_bic: str | None
    cnaps_code: str | None
    bank_address: str | None


@dataclass(frozen=True)
class BuyerView:
    name: str  # the licensee organisation
    country: str
    fapiao: FapiaoDetails | None
    asks_fapiao: bool  # a Chinese organisation: its fapiao needs the details


@dataclass(frozen=True)
class InvoiceDocumentView:
    locale: str  # `en` or `zh_CN`
    as_of: date
    invoice_id: int
    number: str  # also the payment reference
    kind: str  # royalty, entry_fee, annual_fee, evaluation_fee
    status: str
    currency: str
    pool_name: str
    pool_standard: str | None
    agreement_id: int | None  # None for an evaluation fee, which names its patent instead
    patent_number: str | None
    issued_on: date
    usage_start: date
    usage_last_day: date
    lines: list[InvoiceLineRead]
    total_minor: int
    parts: tuple[PartPosition, ...]
    position: InvoicePosition
    interest_from: date | None  # the earliest contractual due date interest runs from
    next_part: PartPosition | None  # the next part to fall due, when nothing is due today
    payee: PayeeView | None
    buyer: BuyerView

    @property
    def reference(self) -> str:
        """What the licensee quotes on its transfer: bank import matches invoice numbers."""
        return self.number


def locale_of(language: str) -> str:
    """Invoices come in Chinese (any `zh-*` preference) or English."""
    return LOCALES["zh" if language.lower().startswith("zh") else "en"]


def payee_of(session: Session, *, pool_id: int) -> PayeeView | None:
    """Whom the pool's invoices are paid to (None until an administrator has set it): the
    invoice document and the invoice page's "How to pay" show the same."""
    return _payee(payee.for_invoice(session, pool_id=pool_id))


def _payee(row: PoolPayee | None) -> PayeeView | None:
    if row is None:
        return None
    return PayeeView(
        legal_name=row.legal_name,
        bank_name=row.bank_name,
        account_number=grouped(row.account_number),
        swift_bic=row.swift_bic,
        cnaps_code=row.cnaps_code,
        bank_address=row.bank_address,
    )


def _next_part(position: InvoicePosition) -> PartPosition | None:
    waiting = (PartState.NOT_YET_DUE, PartState.AWAITING_THRESHOLD)
    return next((p for p in position.parts if p.state in waiting), None)


def prepare(
    session: Session, *, principal: Principal, invoice_id: int, as_of: date
) -> InvoiceDocumentView:
    """The document of one invoice the caller may read (others: 404), at `as_of`."""
    detail = invoices.get(session, principal=principal, invoice_id=invoice_id)
    invoice = session.get(Invoice, invoice_id)
    organisation = session.get(Organisation, detail.licensee_organisation_id)
    if invoice is None or organisation is None:
        raise NotFound("invoice not found")
    pool = pools.get(session, pool_id=detail.pool_id)
    position = invoice_position(session, invoice, as_of=as_of)
    return InvoiceDocumentView(
        locale=locale_of(organisation.language),
        as_of=as_of,
        invoice_id=detail.id,
        number=detail.number,
        kind=detail.fee_kind or detail.kind,
        status=detail.status,
        currency=detail.currency,
        pool_name=pool.name,
        pool_standard=pool.standard,
        agreement_id=detail.agreement_id,
        patent_number=_patent_number(session, detail.patent_id),
        issued_on=detail.issued_on,
        usage_start=detail.usage_start,
        usage_last_day=detail.usage_end - timedelta(days=1),
        lines=detail.lines,
        total_minor=detail.total_minor,
        parts=position.parts,
        position=position,
        interest_from=position.late_since,
        next_part=_next_part(position),
        payee=payee_of(session, pool_id=detail.pool_id),
        buyer=BuyerView(
            name=organisation.name,
            country=organisation.country,
            fapiao=fapiao.for_invoice(session, organisation_id=organisation.id or 0),
            asks_fapiao=organisation.country == "CN",
        ),
    )


def _patent_number(session: Session, patent_id: int | None) -> str | None:
    patent = session.get(Patent, patent_id) if patent_id is not None else None
    return patent.number if patent else None
