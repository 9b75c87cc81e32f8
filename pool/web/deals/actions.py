"""What the deal register's pages do alike, whoever keeps it: the list's labels and CSV, which
form was refused and why (`Refused`, `refusal`), a receipt, the pledgee's consent and the end
read from their forms and passed to `deals.register` (the service decides who may), and the
page that says in words what an end does before it is confirmed."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from litestar import Request, Response
from litestar.response import Stream
from sqlmodel import Session

from pool.auth import Principal
from pool.errors import DomainError, InvalidInput
from pool.models.deal import DealConsent, DealEnd, DealKind, PatentDeal, ReceiptCreate
from pool.services import pools
from pool.services.deals import deal_lists, register
from pool.unit_of_work import FormRefusal
from pool.web import payment_forms as pf
from pool.web.deals.forms import ConsentForm, EndForm, ReceiptForm, form_errors, schema
from pool.web.i18n import N_
from pool.web.lists import Filter, ListSpec, csv_response, major_units
from pool.web.pages import NO_ERRORS, FormErrors, page
from pool.web.views import DEAL_KIND_LABELS

NOT_A_DAY = N_("enter a date")
CONFIRM = N_("confirm on this page")
ALREADY_ENDED = N_("this deal has already ended")
STATE_LABELS = {"in_force": N_("In force"), "ended": N_("Ended"), "consented": N_("Consented")}
KINDS = [(k.value, DEAL_KIND_LABELS[k.value]) for k in DealKind]
LIST = ListSpec(
    filters=(
        Filter("kind", "choice", tuple(k.value for k in DealKind)),
        Filter("year", "year"),
        Filter("state", "choice", deal_lists.STATES),
    ),
    sorts=tuple(deal_lists.SORTS),
    default_sort=deal_lists.DEFAULT_SORT,
)
CSV_HEADER = (
    "deal", "kind", "supplier", "counterparty", "patents", "signed_on", "effective_on",
    "currency", "contract_amount", "received", "registration_number", "registered_on",
    "consent_on", "ended_on",
)  # fmt: skip


@dataclass(frozen=True)
class Refused:
    """Which form was refused (`record`, `receipt-3`, `consent-3`), why, and what was typed."""

    form: str = ""
    errors: FormErrors = NO_ERRORS
    typed: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[tuple[int, str]]] = field(default_factory=dict)


def labels(today: date) -> dict[str, Any]:
    """What the register's template names: kinds and states in words, and the years a deal
    may have been signed in (the ten up to this one)."""
    return {
        "kinds": KINDS, "kind_label": DEAL_KIND_LABELS,
        "states": list(STATE_LABELS.items()), "state_label": STATE_LABELS,
        "years": [(str(y), str(y)) for y in range(today.year, today.year - 10, -1)],
    }  # fmt: skip


def refusal(error: DomainError, refused: Refused, render: Callable[..., Any]) -> FormRefusal:
    """A 409 or 422 as the register page again (`render(refused=, status=)`), the refused
    form open with its faults under its own field names; anything else goes on."""
    if error.status_code not in (409, 422):
        raise error
    shown = Refused(refused.form, form_errors(error), refused.typed, refused.choices)
    return FormRefusal(partial(render, refused=shown, status=error.status_code))


def csv(rows: list[deal_lists.DealRow], now: datetime) -> Stream:
    """The deals listed, every page of them, with the amounts in major units."""
    return csv_response("deals", now.date(), CSV_HEADER, (
        (r.deal.id, r.deal.kind, r.supplier, r.counterparty, ", ".join(r.numbers),
         r.deal.signed_on, r.deal.effective_on, r.deal.currency,
         major_units(r.deal.contract_amount_minor, r.deal.currency),
         major_units(r.deal.received_minor, r.deal.currency), r.deal.registration_number,
         r.deal.registered_on, r.deal.consent_on, r.deal.ended_on)
        for r in rows
    ))  # fmt: skip


def receipt(
    db: Session, viewer: Principal, deal: PatentDeal, data: ReceiptForm, now: datetime
) -> None:
    """Money received under the deal, typed in major units, dated (audited)."""
    currency = pools.get(db, pool_id=deal.pool_id).currency
    values = {"received_on": data.received_on, "reference": data.reference}
    answer = pf.parsed(ReceiptCreate, values, amount=("amount_minor", data.amount, currency))
    register.add_receipt(db, principal=viewer, deal_id=deal.id or 0, data=answer, now=now)


def consent(db: Session, viewer: Principal, deal_id: int, data: ConsentForm, now: datetime) -> None:
    """The pledgee consents to licensing or transferring the pledged patents from a day."""
    answer = schema(DealConsent, {"consent_on": data.consent_on})
    register.consent(db, principal=viewer, deal_id=deal_id, data=answer, now=now)


def end(db: Session, viewer: Principal, deal_id: int, data: EndForm, now: datetime) -> None:
    """End the deal (release a pledge, end a licence, undo a transfer), once confirmed."""
    answer = schema(DealEnd, {"ended_on": data.ended_on, "reason": data.reason})
    if data.confirm != "yes":
        raise InvalidInput.field("confirm", CONFIRM)
    register.end(db, principal=viewer, deal_id=deal_id, data=answer, now=now)


def end_form(request: Request[Any, Any, Any], now: datetime) -> EndForm:
    """The end asked for in the query (`ended_on`, today by default; `reason`)."""
    params = request.query_params
    return EndForm(
        ended_on=str(params.get("ended_on") or now.date().isoformat())[:20],
        reason=str(params.get("reason") or "")[:1000],
    )


def end_page(
    request: Request[Any, Any, Any],
    db: Session,
    viewer: Principal,
    deal_id: int,
    form: EndForm,
    *,
    base: str,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
) -> Response[str]:
    """What ending the deal on the day typed does, in words, to confirm; `base` is the
    register's path (`/admin/deals`, `/contributor/deals`), whose `/{id}/end` confirms."""
    row = deal_lists.one_row(db, principal=viewer, deal_id=deal_id)
    try:
        on: date | None = date.fromisoformat(form.ended_on.strip())
    except ValueError:
        on, errors = None, FormErrors(fields={"ended_on": [NOT_A_DAY]}, general=errors.general)
        status = 422
    if row.deal.ended_on is not None and not errors:
        errors, status = FormErrors.message(ALREADY_ENDED), 409
    back = f"{base}?pool={row.deal.pool_id}" if base.startswith("/admin") else base
    return page(
        request, "web/deal_end.html.j2", viewer, status=status, deal=row.deal, on=on,
        numbers=", ".join(row.numbers), form=form, errors=errors, kind_label=DEAL_KIND_LABELS,
        supplier=row.supplier, counterparty=row.counterparty, base=base, back=back,
    )  # fmt: skip


def end_refusal(error: DomainError, render: Callable[..., Any]) -> FormRefusal:
    """A refused end as its confirmation page again, with the faults (`render(errors=,
    status=)`)."""
    if error.status_code not in (409, 422):
        raise error
    return FormRefusal(partial(render, errors=form_errors(error), status=error.status_code))
