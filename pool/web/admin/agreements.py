"""The licence agreements of every pool for administrators and auditors (issue 17): searched
by licensee, filing number or agreement number, narrowed by state, pool and overdue filing,
sorted, paged and exported (`?format=csv`). Filings overdue stand out, and the administrator
records the contract filing (备案) on a row; changing an agreement's state goes through a
confirmation page (`agreement_moves.py`). Both go through `agreements.record_filing` /
`agreements.move`, exactly as the API does (audited there)."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from litestar.response import Stream
from pydantic import ValidationError
from sqlmodel import Session

import contracts
from pool.auth import Principal
from pool.bounds import PathId
from pool.errors import DomainError
from pool.models.licensing import FilingCreate
from pool.services.common.listing import ListQuery
from pool.services.licensing import agreement_lists, agreements
from pool.unit_of_work import FormRefusal
from pool.web import schema_messages
from pool.web.admin import views as av
from pool.web.admin.audit import STATE_LABELS
from pool.web.admin.dashboard import Done, staff_only
from pool.web.lists import Filter, ListSpec, ListView, csv_response, read_list
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

MOVES = {  # the state each move leads to, as the API's `to`
    state.value: sorted(target.value for target in targets)
    for state, targets in contracts.ALLOWED_MOVES.items()
}
STATES = tuple(state.value for state in contracts.AgreementState)
LIST = ListSpec(
    filters=(
        Filter("state", "choice", STATES),
        Filter("pool", "id"),
        Filter("overdue_filing", "yes"),
        Filter("year", "year"),
    ),
    sorts=("licensee", "start", "state", "signed"),
    default_sort="licensee",
)
CSV_HEADER = (
    "agreement", "licensee", "pool", "state", "licence_type", "signed_on", "start_on",
    "end_on", "filing_number", "filed_on", "filing_due_on", "filing_overdue",
)  # fmt: skip


@dataclass
class FilingForm:
    filing_number: str = ""
    filed_on: str = ""


@dataclass(frozen=True)
class Refused:
    """The row whose form was refused, what was typed and why."""

    agreement_id: int
    form: str  # "filing"
    values: dict[str, str] = field(default_factory=dict)
    errors: FormErrors = NO_ERRORS


def _csv(rows: list[agreement_lists.AgreementRow], now: datetime) -> Stream:
    return csv_response("agreements", now.date(), CSV_HEADER, (
        (r.agreement.id, r.licensee, r.pool, r.agreement.state, r.agreement.licence_type,
         r.agreement.signed_on, r.agreement.start_on, r.agreement.end_on,
         r.agreement.filing_number, r.agreement.filed_on, r.agreement.filing_due_on,
         "yes" if r.agreement.filing_overdue else "no")
        for r in rows
    ))  # fmt: skip


def _agreements_page(
    request: Request[Any, Any, Any],
    db: Session,
    staff: Principal,
    now: datetime,
    lst: ListView,
    *,
    refused: Refused | None = None,
    status: int = 200,
    done: str | None = None,
) -> Response[Any]:
    found = agreement_lists.admin_listing(db, principal=staff, spec=lst.query, now=now)
    if lst.csv:
        return _csv(found.items, now)
    _, choices = av.chosen_pool(db, None)
    return page(
        request, "web/admin/agreements.html.j2", staff, status=status, lst=lst,
        choices=choices, agreements=found, state_label=STATE_LABELS, moves=MOVES,
        states=[(state, STATE_LABELS[state]) for state in STATES],
        refused=refused, today=now.date().isoformat(), done=done,
        years=[(str(y), str(y)) for y in range(now.year, now.year - 10, -1)],
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
        done: Done = None,
    ) -> Response[Any]:
        """Licence agreements with their licensees and filings (`q`, `state`, `pool`,
        `overdue_filing=yes`, `sort`, `page`, `format=csv`); overdue filings stand out (due
        three months after signature)."""
        return _agreements_page(request, db, staff, now, read_list(request, LIST), done=done)

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
            values = {name: value.strip() for name, value in vars(data).items() if value.strip()}
            try:
                filing = FilingCreate.model_validate(values)
            except ValidationError as error:
                raise schema_messages.invalid_input("the form is not valid", error) from error
            agreements.record_filing(
                db, principal=staff, agreement_id=agreement_id, data=filing, now=now
            )
        except DomainError as error:
            if error.status_code not in (409, 422):
                raise
            lst = pool_list(agreement.pool_id)
            raise FormRefusal(partial(
                _agreements_page, request, db, staff, now, lst, status=error.status_code,
                refused=Refused(agreement_id, "filing", vars(data), FormErrors.of(error)),
            )) from error  # fmt: skip
        return redirect(f"/admin/agreements?pool={agreement.pool_id}&done=filed")


def pool_list(pool_id: int) -> ListView:
    """The list of one pool's agreements (shown again after a refused form)."""
    query = ListQuery(filters={"pool": str(pool_id)}, per_page=LIST.per_page)
    return ListView(LIST, query, "/admin/agreements")
