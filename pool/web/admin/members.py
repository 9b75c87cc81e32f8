"""A pool's contributors and their memberships, and the administrator's two actions on them:
record a membership agreement (an organisation joins) and withdraw a membership (after a
confirmation page). Both go through `memberships.join` / `memberships.withdraw`, exactly as
the API does, and are audited there. Auditors read the list without the forms."""

from dataclasses import dataclass
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
from pool.models.membership import MembershipCreate, MembershipRead
from pool.services.accounts import organisations
from pool.services.pools import memberships
from pool.unit_of_work import FormRefusal
from pool.web import schema_messages
from pool.web.admin import views as av
from pool.web.admin.audit import PER_PAGE, PageNumber, pager
from pool.web.admin.dashboard import Done, PoolChoice, staff_only
from pool.web.i18n import N_
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

ORGANISATIONS_LISTED = 500  # the choice of organisations to add
CONFIRM = N_("tick the box to confirm")


@dataclass
class JoinForm:
    organisation_id: str = ""
    joined_on: str = ""
    agreement_version: str = ""


@dataclass
class WithdrawForm:
    withdrawn_on: str = ""
    confirm: str = ""


def _membership(form: JoinForm) -> MembershipCreate:
    """The form as the API's schema; what does not parse names its field."""
    values = {name: value.strip() for name, value in vars(form).items() if value.strip()}
    try:
        return MembershipCreate.model_validate(values)
    except ValidationError as error:
        raise schema_messages.invalid_input("the membership is not valid", error) from error


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput.field(field, schema_messages.ENTER_A_DATE) from None


def _members_page(
    request: Request[Any, Any, Any],
    db: Session,
    staff: Principal,
    pool_id: int | None,
    page_number: int = 1,
    *,
    form: JoinForm | None = None,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
    done: str | None = None,
) -> Response[str]:
    pool, choices = av.chosen_pool(db, pool_id)
    found = memberships.listing(
        db, principal=staff, pool_id=pool.id if pool and pool.id else 0, current_only=False,
        limit=PER_PAGE, offset=(page_number - 1) * PER_PAGE,
    ) if pool else None  # fmt: skip
    return page(
        request, "web/admin/members.html.j2", staff, status=status,
        pool=pool, choices=choices, members=found,
        names=av.names(db, staff, {m.organisation_id for m in found.items} if found else set()),
        candidates=_candidates(db, staff, pool.id if pool else None),
        form=form or JoinForm(), errors=errors, done=done,
        **pager(page_number, found.total if found else 0),
    )  # fmt: skip


def _candidates(db: Session, staff: Principal, pool_id: int | None) -> list[tuple[int, str]]:
    """Organisations without an open membership of the pool (those that may join)."""
    if pool_id is None or staff.role != "admin":
        return []
    every = organisations.listing(
        db, principal=staff, kind=None, country=None, limit=ORGANISATIONS_LISTED, offset=0
    ).items
    current = memberships.listing(
        db, principal=staff, pool_id=pool_id, current_only=True, limit=10_000, offset=0
    ).items
    members = {m.organisation_id for m in current}
    return [(org.id, org.name) for org in every if org.id not in members]


class AdminMembersController(Controller):
    path = "/admin"
    include_in_schema = False
    dependencies = staff_only()

    @get("/members", sync_to_thread=True)
    def member_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        pool_id: PoolChoice = None,
        page_: PageNumber = 1,
        done: Done = None,
    ) -> Response[str]:
        """The pool's contributors and their memberships (withdrawn ones too); the
        administrator adds an organisation here."""
        return _members_page(request, db, staff, pool_id, page_, done=done)

    @post("/pools/{pool_id:int}/members", sync_to_thread=True)
    def join(
        self,
        request: Request[Any, Any, Any],
        pool_id: PathId,
        data: URLEncodedBody[JoinForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Record a signed membership agreement: the organisation joins the pool."""
        staff.require_admin()
        try:
            memberships.join(db, principal=staff, pool_id=pool_id, data=_membership(data), now=now)
        except DomainError as error:
            if error.status_code not in (409, 422):
                raise
            raise FormRefusal(partial(
                _members_page, request, db, staff, pool_id, form=data,
                errors=FormErrors.of(error), status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/admin/members?pool={pool_id}&done=joined")

    @get("/members/{membership_id:int}/withdraw", sync_to_thread=True)
    def withdraw_form(
        self,
        request: Request[Any, Any, Any],
        membership_id: PathId,
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[str]:
        """Confirm a withdrawal: who leaves which pool, and on which day."""
        staff.require_admin()
        found = memberships.get(db, principal=staff, membership_id=membership_id)
        return _withdraw_page(request, db, staff, found, WithdrawForm(now.date().isoformat()))

    @post("/members/{membership_id:int}/withdraw", sync_to_thread=True)
    def withdraw(
        self,
        request: Request[Any, Any, Any],
        membership_id: PathId,
        data: URLEncodedBody[WithdrawForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """End the membership on the day given (not before it began)."""
        staff.require_admin()
        found = memberships.get(db, principal=staff, membership_id=membership_id)
        try:
            if not data.confirm:
                raise InvalidInput.field("confirm", CONFIRM)
            memberships.withdraw(
                db, principal=staff, membership_id=membership_id,
                withdrawn_on=_day(data.withdrawn_on, "withdrawn_on"), now=now,
            )  # fmt: skip
        except DomainError as error:
            if error.status_code not in (409, 422):
                raise
            raise FormRefusal(partial(
                _withdraw_page, request, db, staff, found, data, FormErrors.of(error),
                error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/admin/members?pool={found.pool_id}&done=withdrawn")


def _withdraw_page(
    request: Request[Any, Any, Any],
    db: Session,
    staff: Principal,
    found: Any,
    form: WithdrawForm,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
) -> Response[str]:
    membership = MembershipRead.model_validate(found)
    pool, _ = av.chosen_pool(db, membership.pool_id)
    return page(
        request, "web/admin/withdraw.html.j2", staff, status=status,
        membership=membership, pool=pool, form=form, errors=errors,
        name=av.names(db, staff, {membership.organisation_id})[membership.organisation_id],
    )  # fmt: skip
