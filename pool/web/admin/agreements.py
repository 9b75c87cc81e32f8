"""The pool's licence agreements for administrators and auditors, filings overdue highlighted,
and the administrator's actions on each row: record the contract filing (备案) and move the
agreement to a state the `contracts` state machine allows from its current one. Both go through
`agreements.record_filing` / `agreements.move`, exactly as the API does (audited there)."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from pydantic import ValidationError
from sqlmodel import Session

import contracts
from pool.auth import Principal
from pool.bounds import PathId
from pool.errors import DomainError
from pool.models.licensing import AgreementFilters, AgreementMove, FilingCreate
from pool.services.licensing import agreements
from pool.unit_of_work import FormRefusal
from pool.web import schema_messages
from pool.web.admin import views as av
from pool.web.admin.audit import PER_PAGE, STATE_LABELS, PageNumber, pager
from pool.web.admin.dashboard import Done, PoolChoice, staff_only
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

MOVES = {  # the state each move leads to, as the API's `to`
    state.value: sorted(target.value for target in targets)
    for state, targets in contracts.ALLOWED_MOVES.items()
}


@dataclass
class FilingForm:
    filing_number: str = ""
    filed_on: str = ""


@dataclass
class MoveForm:
    to: str = ""
    on: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Refused:
    """The row whose form was refused, which form, what was typed and why."""

    agreement_id: int
    form: str  # "filing" or "move"
    values: dict[str, str] = field(default_factory=dict)
    errors: FormErrors = NO_ERRORS


def _parsed(schema: type[FilingCreate] | type[AgreementMove], form: object) -> Any:
    values = {name: value.strip() for name, value in vars(form).items() if value.strip()}
    try:
        return schema.model_validate(values)
    except ValidationError as error:
        raise schema_messages.invalid_input("the form is not valid", error) from error


def _agreements_page(
    request: Request[Any, Any, Any],
    db: Session,
    staff: Principal,
    now: datetime,
    pool_id: int | None,
    page_number: int = 1,
    *,
    refused: Refused | None = None,
    status: int = 200,
    done: str | None = None,
) -> Response[str]:
    pool, choices = av.chosen_pool(db, pool_id)
    found = agreements.listing(
        db, principal=staff, filters=AgreementFilters(pool_id=pool.id if pool else None),
        now=now, limit=PER_PAGE, offset=(page_number - 1) * PER_PAGE,
    )  # fmt: skip
    return page(
        request, "web/admin/agreements.html.j2", staff, status=status,
        pool=pool, choices=choices, agreements=found, state_label=STATE_LABELS,
        licensees=av.names(db, staff, {a.licensee_organisation_id for a in found.items}),
        moves=MOVES, refused=refused, today=now.date().isoformat(), done=done,
        **pager(page_number, found.total),
    )  # fmt: skip


class AdminAgreementsController(Controller):
    path = "/admin"
    include_in_schema = False
    dependencies = staff_only()

    @get("/agreements", sync_to_thread=True)
    def agreement_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
        pool_id: PoolChoice = None,
        page_: PageNumber = 1,
        done: Done = None,
    ) -> Response[str]:
        """The pool's licence agreements with their licensees and filings; overdue ones stand
        out (the filing is due three months after signature)."""
        return _agreements_page(request, db, staff, now, pool_id, page_, done=done)

    @post("/agreements/{agreement_id:int}/filing", sync_to_thread=True)
    def record_filing(
        self,
        request: Request[Any, Any, Any],
        agreement_id: PathId,
        data: URLEncodedBody[FilingForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Record the contract filing: a unique number, dated on or after signature."""
        staff.require_admin()
        agreement = agreements.get_for_licensee(db, principal=staff, agreement_id=agreement_id)
        try:
            agreements.record_filing(
                db, principal=staff, agreement_id=agreement_id,
                data=_parsed(FilingCreate, data), now=now,
            )  # fmt: skip
        except DomainError as error:
            return self._refused(request, db, staff, now, agreement.pool_id, error, Refused(
                agreement_id, "filing", vars(data), FormErrors.of(error)
            ))  # fmt: skip
        return redirect(f"/admin/agreements?pool={agreement.pool_id}&done=filed")

    @post("/agreements/{agreement_id:int}/transitions", sync_to_thread=True)
    def move(
        self,
        request: Request[Any, Any, Any],
        agreement_id: PathId,
        data: URLEncodedBody[MoveForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Activate, suspend, terminate or expire the agreement on a date."""
        staff.require_admin()
        agreement = agreements.get_for_licensee(db, principal=staff, agreement_id=agreement_id)
        try:
            agreements.move(
                db, principal=staff, agreement_id=agreement_id,
                data=_parsed(AgreementMove, data), now=now,
            )  # fmt: skip
        except DomainError as error:
            return self._refused(request, db, staff, now, agreement.pool_id, error, Refused(
                agreement_id, "move", vars(data), FormErrors.of(error)
            ))  # fmt: skip
        return redirect(f"/admin/agreements?pool={agreement.pool_id}&done=moved")

    def _refused(
        self,
        request: Request[Any, Any, Any],
        db: Session,
        staff: Principal,
        now: datetime,
        pool_id: int,
        error: DomainError,
        refused: Refused,
    ) -> Response[str]:
        """A refused form: nothing saved, the list re-shown with the errors on that row."""
        if error.status_code not in (409, 422):
            raise error
        raise FormRefusal(partial(
            _agreements_page, request, db, staff, now, pool_id, refused=refused,
            status=error.status_code,
        )) from error  # fmt: skip
