"""The signed-in landing page and the user's organisation; a licensee also keeps there the
fapiao request data its invoices print (`fapiao.put`, as `PUT /api/v1/organisations/{id}/
fapiao`: audited, refused input shown next to its field and nothing saved), and a contributor
the bank details its payouts go to (`payouts.bank_details.put`, as `PUT /api/v1/organisations/
{id}/bank-details`, likewise)."""

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter, URLEncodedBody
from pydantic import ValidationError
from sqlmodel import Session

from pool.auth import Principal
from pool.errors import DomainError, NotFound
from pool.models.organisation import FapiaoDetails, FapiaoWrite
from pool.models.user import Role
from pool.services import pools
from pool.services.accounts import fapiao, organisations
from pool.services.patents import assignments
from pool.services.payouts import bank_details
from pool.unit_of_work import FormRefusal
from pool.web import nav, schema_messages, views
from pool.web.contributor import views as contributor_views
from pool.web.contributor.bank_form import BankForm, parsed
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

Done = Annotated[str | None, QueryParameter(name="done", max_length=20)]


@dataclass
class FapiaoForm:
    buyer_name: str = ""
    uscc: str = ""
    address: str = ""
    phone: str = ""
    bank_name: str = ""
    bank_account: str = ""

    @classmethod
    def of(cls, found: FapiaoDetails | None, org: views.OrganisationView | None) -> "FapiaoForm":
        """What is stored, else the organisation's name and credit code to start from."""
        if found is None:
            return cls(buyer_name=org.name if org else "", uscc=(org.uscc or "") if org else "")
        return cls(**{name: getattr(found, name) or "" for name in vars(cls())})


def _own_organisation(db: Session, principal: Principal) -> views.OrganisationView | None:
    """Staff (administrators, auditors) belong to no organisation."""
    if principal.organisation_id is None:
        return None
    org = organisations.get(db, principal=principal, organisation_id=principal.organisation_id)
    return views.organisation(org)


def _organisation_page(
    request: Request[Any, Any, Any],
    db: Session,
    principal: Principal,
    *,
    form: FapiaoForm | None = None,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
    done: str | None = None,
    bank_form: BankForm | None = None,
    bank_errors: FormErrors = NO_ERRORS,
) -> Response[str]:
    org = _own_organisation(db, principal)
    licensee = principal.role == Role.LICENSEE and org is not None
    contributor = principal.role == Role.CONTRIBUTOR and org is not None
    own = principal.organisation_id or 0
    stored = fapiao.find(db, principal=principal, organisation_id=own) if licensee else None
    bank = bank_details.find(db, principal=principal, organisation_id=own) if contributor else None
    return page(
        request, "web/organisation.html.j2", principal, status=status,
        organisation=org, licensee=licensee, fapiao=stored,
        form=form or FapiaoForm.of(stored, org), errors=errors, done=done,
        contributor=contributor, bank=bank, bank_errors=bank_errors,
        bank_form=bank_form or BankForm.of(bank, org.name if org else ""),
    )  # fmt: skip


def _fapiao(form: FapiaoForm) -> FapiaoWrite:
    """The form as the API's schema; what does not parse names its field."""
    try:
        return FapiaoWrite.model_validate(vars(form))
    except ValidationError as error:
        raise schema_messages.invalid_input("the fapiao details are not valid", error) from error


class HomeController(Controller):
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def home(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
    ) -> Response[str]:
        """What the user's role has here, their organisation, and the open pools; an
        evaluator also sees the patents assigned to them (the service scopes the list)."""
        assigned = (
            assignments.assigned_patents(db, principal=principal, limit=100, offset=0).items
            if principal.role == Role.EVALUATOR
            else None
        )
        return page(
            request,
            "web/home.html.j2",
            principal,
            organisation=_own_organisation(db, principal),
            sections=[item for item in nav.for_viewer(principal) if item.href != "/"],
            pools=pools.listing(db, status="open", limit=100, offset=0).items,
            assigned=assigned,
            status_label=contributor_views.PATENT_STATUS_LABELS,
        )

    @get("/organisation", sync_to_thread=True)
    def organisation(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        done: Done = None,
    ) -> Response[str]:
        """The user's own organisation (the service scopes it: never another's); a
        licensee's fapiao details with the form to change them."""
        return _organisation_page(request, db, principal, done=done)

    @post("/organisation/fapiao", sync_to_thread=True)
    def save_fapiao(
        self,
        request: Request[Any, Any, Any],
        data: URLEncodedBody[FapiaoForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Set the licensee's fapiao details (licensees only: anyone else finds nothing)."""
        if principal.role != Role.LICENSEE or principal.organisation_id is None:
            raise NotFound("not found")
        try:
            fapiao.put(
                db, principal=principal, organisation_id=principal.organisation_id,
                data=_fapiao(data), now=now,
            )  # fmt: skip
        except DomainError as error:
            if error.status_code != 422:
                raise
            raise FormRefusal(partial(
                _organisation_page, request, db, principal, form=data,
                errors=FormErrors.of(error), status=error.status_code,
            )) from error  # fmt: skip
        return redirect("/organisation?done=fapiao#fapiao")

    @post("/organisation/bank-details", sync_to_thread=True)
    def save_bank_details(
        self,
        request: Request[Any, Any, Any],
        data: URLEncodedBody[BankForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Set the contributor's bank details (contributors only: anyone else finds nothing)."""
        if principal.role != Role.CONTRIBUTOR or principal.organisation_id is None:
            raise NotFound("not found")
        try:
            bank_details.put(
                db, principal=principal, organisation_id=principal.organisation_id,
                data=parsed(data), now=now,
            )  # fmt: skip
        except DomainError as error:
            if error.status_code != 422:
                raise
            raise FormRefusal(partial(
                _organisation_page, request, db, principal, bank_form=data,
                bank_errors=FormErrors.of(error), status=error.status_code,
            )) from error  # fmt: skip
        return redirect("/organisation?done=bank#bank-details")
