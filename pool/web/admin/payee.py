"""The pool's payee: the bank account licensees pay into, which every invoice document prints.
Administrators set it here (`payee.put`, as `PUT /api/v1/pools/{id}/payee`: audited, a refused
field shown next to it and nothing saved); auditors read it without the form."""

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from pydantic import ValidationError
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.errors import DomainError, NotFound
from pool.models.pool import PayeeWrite, PoolPayee
from pool.services.pools import payee
from pool.unit_of_work import FormRefusal
from pool.validation.bank import grouped
from pool.web import schema_messages
from pool.web.admin import views as av
from pool.web.admin.dashboard import Done, PoolChoice, staff_only
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect


@dataclass
class PayeeForm:
    legal_name: str = ""
    bank_name: str = ""
    account_number: str = ""
    swift_bic: str = ""
    cnaps_code: str = ""
    bank_address: str = ""

    @classmethod
    def of(cls, found: PoolPayee | None) -> "PayeeForm":
        if found is None:
            return cls()
        values = {name: getattr(found, name) or "" for name in vars(cls())}
        return cls(**{**values, "account_number": grouped(found.account_number)})


def _stored(db: Session, staff: Principal, pool_id: int | None) -> PoolPayee | None:
    if pool_id is None:
        return None
    try:
        return payee.get(db, principal=staff, pool_id=pool_id)
    except NotFound:
        return None


def _payee_page(
    request: Request[Any, Any, Any],
    db: Session,
    staff: Principal,
    pool_id: int | None,
    *,
    form: PayeeForm | None = None,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
    done: str | None = None,
) -> Response[str]:
    pool, choices = av.chosen_pool(db, pool_id)
    found = _stored(db, staff, pool.id if pool else None)
    return page(
        request, "web/admin/payee.html.j2", staff, status=status,
        pool=pool, choices=choices, payee=found, form=form or PayeeForm.of(found),
        account=grouped(found.account_number) if found else "", errors=errors, done=done,
    )  # fmt: skip


def _parsed(form: PayeeForm) -> PayeeWrite:
    """The form as the API's schema; what does not parse names its field."""
    try:
        return PayeeWrite.model_validate(vars(form))
    except ValidationError as error:
        raise schema_messages.invalid_input("the payee details are not valid", error) from error


class AdminPayeeController(Controller):
    path = "/admin"
    include_in_schema = False
    dependencies = staff_only()

    @get("/payee", sync_to_thread=True)
    def payee_page(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        pool_id: PoolChoice = None,
        done: Done = None,
    ) -> Response[str]:
        """The pool's payee as invoices print it, and (administrators) the form to set it."""
        return _payee_page(request, db, staff, pool_id, done=done)

    @post("/pools/{pool_id:int}/payee", sync_to_thread=True)
    def save_payee(
        self,
        request: Request[Any, Any, Any],
        pool_id: PathId,
        data: URLEncodedBody[PayeeForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Set the payee every invoice of the pool prints."""
        staff.require_admin()
        try:
            payee.put(db, principal=staff, pool_id=pool_id, data=_parsed(data), now=now)
        except DomainError as error:
            if error.status_code != 422:
                raise
            raise FormRefusal(partial(
                _payee_page, request, db, staff, pool_id, form=data,
                errors=FormErrors.of(error), status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/admin/payee?pool={pool_id}&done=saved")
