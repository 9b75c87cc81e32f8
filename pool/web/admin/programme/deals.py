"""A pool's deal register (`/admin/deals?pool=`): the list (search, `kind`, `state`, sort by
the day signed, pages, CSV with amounts in major units), the form that records a deal, and on
each row a receipt, the pledgee's consent (pledges) and the end or release, which a page says
in words and asks to confirm. Everything goes through `deals.register`, as the API does."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from pydantic import ValidationError
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.errors import DomainError, InvalidInput
from pool.models.deal import DealConsent, DealEnd, DealKind, ReceiptCreate
from pool.services import pools
from pool.services.deals import deal_lists, register
from pool.unit_of_work import FormRefusal
from pool.web import payment_forms as pf
from pool.web import schema_messages
from pool.web.admin import views as av
from pool.web.admin.dashboard import Done, PoolChoice, staff_only
from pool.web.admin.programme import deal_forms as df
from pool.web.i18n import N_
from pool.web.lists import Filter, ListSpec, csv_response, major_units, read_list
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

STATE_LABELS = {"in_force": N_("In force"), "ended": N_("Ended"), "consented": N_("Consented")}
LIST = ListSpec(
    filters=(
        Filter("kind", "choice", tuple(k.value for k in DealKind)),
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
NOT_A_DAY = N_("enter a date")
CONFIRM = N_("confirm on this page")
ALREADY_ENDED = N_("this deal has already ended")


@dataclass(frozen=True)
class Refused:
    """Which form was refused (`record`, `receipt-3`, `consent-3`), why, and what was typed."""

    form: str = ""
    errors: FormErrors = NO_ERRORS
    typed: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[tuple[int, str]]] = field(default_factory=dict)


def _csv(rows: list[deal_lists.DealRow], now: datetime) -> Response[bytes]:
    return csv_response("deals", now.date(), CSV_HEADER, (
        (r.deal.id, r.deal.kind, r.supplier, r.counterparty, ", ".join(r.numbers),
         r.deal.signed_on, r.deal.effective_on, r.deal.currency,
         major_units(r.deal.contract_amount_minor, r.deal.currency),
         major_units(r.deal.received_minor, r.deal.currency), r.deal.registration_number,
         r.deal.registered_on, r.deal.consent_on, r.deal.ended_on)
        for r in rows
    ))  # fmt: skip


def _list_page(
    request: Request[Any, Any, Any],
    db: Session,
    staff: Principal,
    now: datetime,
    pool_id: int | None,
    *,
    refused: Refused | None = None,
    status: int = 200,
    done: str | None = None,
) -> Response[Any]:
    pool, choices = av.chosen_pool(db, pool_id)
    template = "web/admin/deals.html.j2"
    if pool is None or pool.id is None:
        return page(request, template, staff, pool=None, choices=choices)
    # after a refused form (posted elsewhere) the links still lead to the list
    lst = replace(read_list(request, LIST, extra={"pool": str(pool.id)}), path="/admin/deals")
    found = deal_lists.admin_listing(db, principal=staff, pool_id=pool.id, spec=lst.query)
    if lst.csv:
        return _csv(found.items, now)
    return page(
        request, template, staff, status=status, pool=pool, choices=choices, lst=lst,
        deals=found, kinds=[(k.value, av.DEAL_KIND_LABELS[k.value]) for k in DealKind],
        kind_label=av.DEAL_KIND_LABELS, states=list(STATE_LABELS.items()),
        state_label=STATE_LABELS, refused=refused or Refused(), today=now.date().isoformat(),
        done=done,
    )  # fmt: skip


def _refuse(
    request: Request[Any, Any, Any],
    db: Session,
    staff: Principal,
    now: datetime,
    pool_id: int,
    error: DomainError,
    refused: Refused,
) -> FormRefusal:
    if error.status_code not in (409, 422):
        raise error
    return FormRefusal(partial(
        _list_page, request, db, staff, now, pool_id, status=error.status_code,
        refused=Refused(refused.form, df.form_errors(error), refused.typed, refused.choices),
    ))  # fmt: skip


def _schema(schema: type[Any], values: dict[str, str]) -> Any:
    data = {name: value.strip() for name, value in values.items() if value.strip()}
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        raise schema_messages.invalid_input("the form is not valid", error) from error


class AdminDealsController(Controller):
    path = "/admin"
    include_in_schema = False
    dependencies = staff_only()

    @get("/deals", sync_to_thread=True)
    def deal_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
        pool_id: PoolChoice = None,
        done: Done = None,
    ) -> Response[Any]:
        """The pool's deals (`q`, `kind`, `state`, `sort`, `page`, `format=csv`) and, for
        administrators, the form that records one."""
        return _list_page(request, db, staff, now, pool_id, done=done)

    @post("/pools/{pool_id:int}/deals", sync_to_thread=True)
    def record(
        self,
        request: Request[Any, Any, Any],
        pool_id: PathId,
        data: URLEncodedBody[df.DealForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Record a deal of the pool's patents (audited); a transfer over a pledge in force
        without consent is refused (409, the pledge named) and changes nothing."""
        staff.require_admin()
        pool = pools.get(db, pool_id=pool_id)
        choices = df.Choices()
        try:
            deal = df.deal_create(db, staff, pool, data, choices)
            register.record(db, principal=staff, pool_id=pool_id, data=deal, now=now)
        except DomainError as error:
            refused = Refused("record", typed=vars(data), choices=choices.by_field)
            raise _refuse(request, db, staff, now, pool_id, error, refused) from error
        return redirect(f"/admin/deals?pool={pool_id}&done=recorded")

    @post("/deals/{deal_id:int}/receipts", sync_to_thread=True)
    def receipt(
        self,
        request: Request[Any, Any, Any],
        deal_id: PathId,
        data: URLEncodedBody[df.ReceiptForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Money received under the deal, in major units, dated (audited)."""
        staff.require_admin()
        deal = register.get(db, principal=staff, deal_id=deal_id)
        currency = pools.get(db, pool_id=deal.pool_id).currency
        try:
            values = {"received_on": data.received_on, "reference": data.reference}
            answer = pf.parsed(
                ReceiptCreate, values, amount=("amount_minor", data.amount, currency)
            )
            register.add_receipt(db, principal=staff, deal_id=deal_id, data=answer, now=now)
        except DomainError as error:
            raise _refuse(request, db, staff, now, deal.pool_id, error,
                          Refused(f"receipt-{deal_id}", typed=vars(data))) from error  # fmt: skip
        return redirect(f"/admin/deals?pool={deal.pool_id}&done=receipt")

    @post("/deals/{deal_id:int}/consent", sync_to_thread=True)
    def consent(
        self,
        request: Request[Any, Any, Any],
        deal_id: PathId,
        data: URLEncodedBody[df.ConsentForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """The pledgee consents to licensing or transferring the pledged patents from a day."""
        staff.require_admin()
        deal = register.get(db, principal=staff, deal_id=deal_id)
        try:
            answer = _schema(DealConsent, {"consent_on": data.consent_on})
            register.consent(db, principal=staff, deal_id=deal_id, data=answer, now=now)
        except DomainError as error:
            raise _refuse(request, db, staff, now, deal.pool_id, error,
                          Refused(f"consent-{deal_id}", typed=vars(data))) from error  # fmt: skip
        return redirect(f"/admin/deals?pool={deal.pool_id}&done=consent")

    @get("/deals/{deal_id:int}/end", sync_to_thread=True)
    def end_form(
        self,
        request: Request[Any, Any, Any],
        deal_id: PathId,
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[str]:
        """What ending the deal on `?ended_on=` does, in words, to confirm (or cancel)."""
        staff.require_admin()
        params = request.query_params
        form = df.EndForm(
            ended_on=str(params.get("ended_on") or now.date().isoformat())[:20],
            reason=str(params.get("reason") or "")[:1000],
        )
        return _end_page(request, db, staff, deal_id, form)

    @post("/deals/{deal_id:int}/end", sync_to_thread=True)
    def end(
        self,
        request: Request[Any, Any, Any],
        deal_id: PathId,
        data: URLEncodedBody[df.EndForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """End the deal (release a pledge, end a licence, undo a transfer), once confirmed."""
        staff.require_admin()
        deal = register.get(db, principal=staff, deal_id=deal_id)
        try:
            answer = _schema(DealEnd, {"ended_on": data.ended_on, "reason": data.reason})
            if data.confirm != "yes":
                raise InvalidInput.field("confirm", CONFIRM)
            register.end(db, principal=staff, deal_id=deal_id, data=answer, now=now)
        except DomainError as error:
            if error.status_code not in (409, 422):
                raise
            raise FormRefusal(partial(
                _end_page, request, db, staff, deal_id, data, errors=df.form_errors(error),
                status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/admin/deals?pool={deal.pool_id}&done=ended")


def _end_page(
    request: Request[Any, Any, Any],
    db: Session,
    staff: Principal,
    deal_id: int,
    form: df.EndForm,
    *,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
) -> Response[str]:
    deal = register.get(db, principal=staff, deal_id=deal_id)
    row = register.read_many(db, [deal])[0]
    numbers = deal_lists.patent_numbers(db, row.patent_ids)
    try:
        on: date | None = date.fromisoformat(form.ended_on.strip())
    except ValueError:
        on, errors = None, FormErrors(fields={"ended_on": [NOT_A_DAY]}, general=errors.general)
        status = 422
    if deal.ended_on is not None and not errors:
        errors, status = FormErrors.message(ALREADY_ENDED), 409
    names = av.names(db, staff, {deal.supplier_organisation_id, deal.counterparty_organisation_id})
    return page(
        request, "web/admin/deal_end.html.j2", staff, status=status, deal=row, on=on,
        numbers=", ".join(numbers), form=form, errors=errors, kind_label=av.DEAL_KIND_LABELS,
        supplier=names[deal.supplier_organisation_id],
        counterparty=names[deal.counterparty_organisation_id],
    )  # fmt: skip
