"""What the payment forms share (a licensee's notice, an administrator's confirmation or
receipt): amounts typed in major units read exactly as minor units of the pool's currency,
forms read as the API's schemas, and notices as rows a page shows.

An amount is parsed with `Decimal`, never a float: `1,250.5` in USD is 125050 cents, and a
fraction finer than the currency's minor unit is refused, not rounded."""

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from allocation.currency import format_minor, minor_unit_exponent
from pool.errors import FieldError, InvalidInput
from pool.models.billing.payment_notice import NoticeStatus, PaymentNoticeRead
from pool.web import schema_messages
from pool.web.i18n import N_

Schema = TypeVar("Schema", bound=BaseModel)
NOT_AN_AMOUNT = N_("enter an amount such as 1250.00")
PLAIN_AMOUNT = re.compile(r"-?[0-9]{1,16}(\.[0-9]{1,12})?")
TOO_FINE = N_("this currency has fewer decimals")
NOT_POSITIVE = N_("enter an amount greater than zero")
NEGATIVE = N_("enter an amount of zero or more")
REFUSED = N_("the payment was not saved")
AMOUNT = "amount"  # the forms' field of an amount in major units
STATUS_LABELS = {
    NoticeStatus.PENDING: N_("Waiting for the pool to confirm"),
    NoticeStatus.CONFIRMED: N_("Confirmed: the pool has received it"),
    NoticeStatus.REJECTED: N_("Rejected"),
}
SERVICE_MESSAGES = (  # pool.services.billing.payment_notices and payments, shown next to fields
    N_("say which pool (or invoice) this payment is for"),
    N_("no such invoice of yours"),
    N_("this invoice belongs to another pool"),
    N_("this invoice is not open: nothing is left to pay"),
    N_("you hold no licence agreement in this pool"),
    N_("the date paid cannot be in the future"),
    N_("the date received cannot be in the future"),
    N_("the date paid cannot be before the pool existed"),
    N_("the date received cannot be before the pool existed"),
    N_("the pool has already recorded a payment with this reference"),
    N_("no licence agreement and no invoice in this pool"),
)


def amount_minor(text: str, currency: str, field: str, *, zero: bool = False) -> int:
    """`text` in major units (`1,250.50`) as exact minor units of `currency`; 0 only where
    `zero` allows it (a deal's contract amount may be nil; money that moves may not).

    Only plain decimals are read (full-width digits from an IME too, via NFKC): no exponent,
    at most 16 + 12 digits, so the value stays within Decimal's 28-digit context and the
    scaling below is exact (`1e999999999` would overflow it, `1e-999999999` round to 0)."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    if not PLAIN_AMOUNT.fullmatch(cleaned):
        raise InvalidInput.field(field, NOT_AN_AMOUNT)
    value = Decimal(cleaned)
    if value < 0 or (value == 0 and not zero):
        raise InvalidInput.field(field, NEGATIVE if zero else NOT_POSITIVE)
    scaled = value.scaleb(minor_unit_exponent(currency))
    if scaled != scaled.to_integral_value():
        raise InvalidInput.field(field, TOO_FINE)
    return int(scaled)


def major(amount: int, currency: str) -> str:
    """Minor units as a form's prefilled text (no grouping, so it reads back exactly)."""
    return format_minor(amount, currency).replace(",", "")


def parsed(
    schema: type[Schema],
    values: dict[str, Any],
    *,
    amount: tuple[str, str, str] | None,
    zero: bool = False,
) -> Schema:
    """The form's text as the API's schema. `amount` is (schema field, text, currency): the
    text is read as minor units first (0 only if `zero`). Every fault names its field; the
    amount's faults name the form's `amount` field (it holds major units)."""
    data = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    data = {k: v for k, v in data.items() if v not in ("", None)}
    faults: list[FieldError] = []
    if amount is not None:
        name, text, currency = amount
        try:
            data[name] = amount_minor(text, currency, AMOUNT, zero=zero)
        except InvalidInput as error:
            faults += error.errors
            data[name] = 1  # a placeholder, so the schema checks the other fields
    try:
        found = schema.model_validate(data)
    except ValidationError as error:
        refused = schema_messages.invalid_input(REFUSED, error).errors
        rename = {amount[0]: AMOUNT} if amount else {}
        others = [replace(f, field=rename.get(f.field or "", f.field)) for f in refused]
        raise InvalidInput(REFUSED, [*faults, *others]) from error
    if faults:
        raise InvalidInput(REFUSED, faults)
    return found


@dataclass
class NoticeForm:
    """A licensee's payment notice as typed."""

    reference: str = ""
    amount: str = ""  # major units
    paid_on: str = ""
    note: str = ""


def prefilled(
    number: str, outstanding_minor: int, currency: str, used: set[str], today: date
) -> NoticeForm:
    """The invoice number as the reference (numbered on if the licensee already used it),
    what is still to pay, today."""
    reference = number
    for count in range(2, len(used) + 2):
        if reference not in used:
            break
        reference = f"{number}-{count}"
    return NoticeForm(
        reference=reference, amount=major(outstanding_minor, currency), paid_on=today.isoformat()
    )


@dataclass(frozen=True)
class NoticeView:
    id: int
    licensee_organisation_id: int
    licensee: str
    invoice_id: int | None
    invoice_number: str | None
    reference: str
    currency: str
    amount_minor: int
    paid_on: date
    note: str | None
    status: str
    status_label: str  # msgid
    reason: str | None
    pending: bool


def notice_view(
    item: PaymentNoticeRead, *, numbers: dict[int, str], names: dict[int, str] | None = None
) -> NoticeView:
    return NoticeView(
        id=item.id,
        licensee_organisation_id=item.licensee_organisation_id,
        licensee=(names or {}).get(item.licensee_organisation_id, ""),
        invoice_id=item.invoice_id,
        invoice_number=numbers.get(item.invoice_id) if item.invoice_id else None,
        reference=item.reference,
        currency=item.currency,
        amount_minor=item.amount_minor,
        paid_on=item.paid_on,
        note=item.note,
        status=item.status,
        status_label=STATUS_LABELS[item.status],
        reason=item.reason,
        pending=item.status == NoticeStatus.PENDING,
    )
