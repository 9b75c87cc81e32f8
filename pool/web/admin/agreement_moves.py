"""Changing a licence agreement's state, confirmed (issue 17). The list's row form only opens
`GET /admin/agreements/{id}/move`, which asks for the new state (none chosen in advance), the
day and a reason, then says in words what will happen; only the POST of that page with
`confirm=yes` moves the agreement (`agreements.move`, audited there). Administrators only:
auditors are refused (403), anyone else finds nothing here (404)."""

from dataclasses import dataclass, replace
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
from pool.models.licensing import AgreementMove, LicenceAgreement
from pool.services.licensing import agreements
from pool.unit_of_work import FormRefusal
from pool.web import schema_messages
from pool.web.admin import views as av
from pool.web.admin.agreements import MOVES
from pool.web.admin.audit import STATE_LABELS
from pool.web.admin.dashboard import staff_only
from pool.web.i18n import N_
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

CHOOSE = N_("choose the new state")
NOT_A_DAY = N_("enter a date")
CONFIRM = N_("confirm the change on this page")
WHAT_HAPPENS = {  # the new state -> what the move does, in words
    "active": N_(
        "Put the licence of %(licensee)s under %(pool)s in force from %(day)s: it takes usage"
        " reports again, and they are invoiced."
    ),
    "suspended": N_(
        "Suspend the licence of %(licensee)s under %(pool)s from %(day)s: invoices already"
        " issued stay due; no new reports are accepted until it is put in force again."
    ),
    "terminated": N_(
        "Terminate the licence of %(licensee)s under %(pool)s from %(day)s: invoices already"
        " issued stay due; no new reports are accepted. This cannot be undone."
    ),
    "expired": N_(
        "End the licence of %(licensee)s under %(pool)s as expired from %(day)s: invoices"
        " already issued stay due; no new reports are accepted. This cannot be undone."
    ),
}


@dataclass
class MoveForm:
    to: str = ""
    on: str = ""
    reason: str = ""
    confirm: str = ""


def _checked(agreement: LicenceAgreement, form: MoveForm) -> FormErrors:
    """What is missing or wrong before the confirmation can be shown."""
    fields: dict[str, list[str]] = {}
    if form.to not in MOVES.get(agreement.state, []):
        fields["to"] = [CHOOSE]
    try:
        date.fromisoformat(form.on.strip())
    except ValueError:
        fields["on"] = [NOT_A_DAY]
    return FormErrors(fields=fields)


def _move_page(
    request: Request[Any, Any, Any],
    db: Session,
    staff: Principal,
    agreement: LicenceAgreement,
    form: MoveForm,
    *,
    ready: bool,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
) -> Response[str]:
    pool, _ = av.chosen_pool(db, agreement.pool_id)
    licensee = av.names(db, staff, {agreement.licensee_organisation_id})
    on = date.fromisoformat(form.on.strip()) if ready else None
    return page(
        request, "web/admin/agreement_move.html.j2", staff, status=status,
        agreement=agreement, pool=pool, licensee=licensee[agreement.licensee_organisation_id],
        form=form, ready=ready, errors=errors, on=on, moves=MOVES.get(agreement.state, []),
        state_label=STATE_LABELS, what_happens=WHAT_HAPPENS.get(form.to, ""),
    )  # fmt: skip


class AdminAgreementMovesController(Controller):
    path = "/admin/agreements"
    include_in_schema = False
    dependencies = staff_only()

    @get("/{agreement_id:int}/move", sync_to_thread=True)
    def move_form(
        self,
        request: Request[Any, Any, Any],
        agreement_id: PathId,
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[str]:
        """Choose the new state, the day and a reason (`?to=&on=&reason=`); once they are
        valid, the page says what the move will do and asks to confirm it."""
        staff.require_admin()
        agreement = agreements.get_for_licensee(db, principal=staff, agreement_id=agreement_id)
        params = request.query_params
        form = MoveForm(*(str(params.get(name) or "")[:200] for name in ("to", "on", "reason")))
        if "to" not in params:
            form = replace(form, on=form.on or now.date().isoformat())
            return _move_page(request, db, staff, agreement, form, ready=False)
        errors = _checked(agreement, form)
        status = 422 if errors else 200
        return _move_page(
            request, db, staff, agreement, form, ready=not errors, errors=errors, status=status
        )

    @post("/{agreement_id:int}/transitions", sync_to_thread=True)
    def move(
        self,
        request: Request[Any, Any, Any],
        agreement_id: PathId,
        data: URLEncodedBody[MoveForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Activate, suspend, terminate or expire the agreement on a day, once confirmed."""
        staff.require_admin()
        agreement = agreements.get_for_licensee(db, principal=staff, agreement_id=agreement_id)
        errors = _checked(agreement, data)
        try:
            if errors:
                raise InvalidInput("the change is not valid", [])
            if data.confirm != "yes":
                raise InvalidInput.field("confirm", CONFIRM)
            values = {"to": data.to, "on": data.on.strip(), "reason": data.reason.strip()}
            try:
                move = AgreementMove.model_validate(values)
            except ValidationError as error:
                raise schema_messages.invalid_input("the change is not valid", error) from error
            agreements.move(db, principal=staff, agreement_id=agreement_id, data=move, now=now)
        except DomainError as error:
            if error.status_code not in (409, 422):
                raise
            shown = errors or FormErrors.of(error)
            raise FormRefusal(partial(
                _move_page, request, db, staff, agreement, data, ready=not errors,
                errors=shown, status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/admin/agreements?pool={agreement.pool_id}&done=moved")
