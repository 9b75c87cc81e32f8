"""The licensee's agreements: the list, one agreement with its terms and products, accepting
a published open licence, and registering a product (专利产品备案)."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter, URLEncodedBody
from pydantic import ValidationError
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.errors import Conflict, InvalidInput
from pool.models.licensing import AgreementFilters, ProductCreate
from pool.models.reporting import ReportStatus
from pool.services import pools, reports
from pool.services.billing import invoices
from pool.services.licensing import agreements, offers, products, terms
from pool.unit_of_work import FormRefusal
from pool.web import views
from pool.web.i18n import N_
from pool.web.licensee import product_form as products_form
from pool.web.licensee import views as lv
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

CONFIRM = N_("Tick the box to confirm that you accept these terms.")
Done = Annotated[str, QueryParameter(name="done", max_length=20)]


@dataclass
class AcceptForm:
    confirm: str = ""


@dataclass
class ProductForm:
    name: str = ""
    model: str = ""
    category: str = ""
    patent_ids: list[str] | str = field(default_factory=list)  # ticked among those found
    sections: list[str] | str = field(default_factory=list)
    families: str = ""
    numbers: str = ""
    every: str = ""
    find: str = ""  # the "Find" button: search the last number typed, register nothing


@dataclass(frozen=True)
class OfferItem:
    offer: views.OfferView
    pool_id: int
    pool_name: str
    held_by: int | None  # the licensee's live agreement on this offer, if any


def stay_on(url: str) -> dict[str, str]:
    """A refused form re-rendered for htmx: the address bar shows the form's page (a GET),
    not the URL it posted to, so a reload shows the form again."""
    return {"HX-Push-Url": url}


def own_agreements(db: Session, principal: Principal, now: datetime) -> list[lv.AgreementView]:
    """The licensee's agreements (the service scopes them to its organisation)."""
    found = agreements.listing(
        db,
        principal=principal,
        filters=AgreementFilters(),
        now=now,
        limit=lv.LIST_LIMIT,
        offset=0,
    ).items
    known = {item.pool_id: pools.get(db, pool_id=item.pool_id) for item in found}
    return [
        lv.agreement(item, known[item.pool_id].name, known[item.pool_id].currency) for item in found
    ]


def one_agreement(
    db: Session, principal: Principal, agreement_id: int, now: datetime
) -> lv.AgreementView:
    """One of the licensee's agreements; another's is "not found" (404)."""
    row = agreements.get_for_licensee(db, principal=principal, agreement_id=agreement_id)
    pool = pools.get(db, pool_id=row.pool_id)
    return lv.agreement(agreements.to_read(row, now), pool.name, pool.currency)


def _agreements_page(
    request: Request[Any, Any, Any],
    db: Session,
    principal: Principal,
    now: datetime,
    *,
    status: int = 200,
    errors: FormErrors = NO_ERRORS,
    failed_offer: int | None = None,
) -> Response[str]:
    mine = own_agreements(db, principal, now)
    held = {item.offer_id: item.id for item in mine if item.offer_id and item.live}
    licensed = {item.pool_id for item in mine if item.live}
    published = offers.public_listing(db, pool_id=None, today=now.date(), limit=100, offset=0)
    open_offers = [  # a pool's licence is held once: its other offers are not shown
        OfferItem(views.offer(item), item.pool_id, item.pool_name, held.get(item.id))
        for item in published.items
        if item.id in held or item.pool_id not in licensed
    ]
    return page(
        request,
        "web/licensee/agreements.html.j2",
        principal,
        status=status,
        headers=stay_on("/licensee/agreements") if errors else None,
        agreements=mine,
        offers=open_offers,
        hidden_offers=len(published.items) - len(open_offers),
        errors=errors,
        failed_offer=failed_offer,
    )


def _product_page(
    request: Request[Any, Any, Any],
    db: Session,
    principal: Principal,
    agreement_id: int,
    now: datetime,
    *,
    form: ProductForm,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
) -> Response[str]:
    agreement = one_agreement(db, principal, agreement_id, now)
    picker = products_form.picker(db, agreement.pool_id, now.date(), form)
    return page(
        request,
        "web/licensee/product_form.html.j2",
        principal,
        status=status,
        headers=stay_on(f"/licensee/agreements/{agreement_id}/products/new") if errors else None,
        agreement=agreement,
        picker=picker,
        form=form,
        errors=errors,
    )


class LicenseeController(Controller):
    path = "/licensee"
    include_in_schema = False
    dependencies = lv.licensee_only()

    @get("/agreements", sync_to_thread=True)
    def agreements(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[str]:
        """The licensee's agreements, and the published open licences it may accept."""
        return _agreements_page(request, db, principal, now)

    @post("/offers/{offer_id:int}/accept", sync_to_thread=True)
    def accept_offer(
        self,
        request: Request[Any, Any, Any],
        offer_id: PathId,
        data: URLEncodedBody[AcceptForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Accept an open licence: an active agreement from today on exactly its terms."""
        if data.confirm != "yes":
            errors = FormErrors.message(CONFIRM)
            return _agreements_page(
                request, db, principal, now, status=422, errors=errors, failed_offer=offer_id
            )
        try:
            created = offers.accept(db, principal=principal, offer_id=offer_id, now=now)
        except Conflict as error:
            raise FormRefusal(partial(
                _agreements_page, request, db, principal, now, status=409,
                errors=FormErrors.of(error), failed_offer=offer_id,
            )) from error  # fmt: skip
        return redirect(f"/licensee/agreements/{created.id}?done=accepted")

    @get("/agreements/{agreement_id:int}", sync_to_thread=True)
    def agreement(
        self,
        request: Request[Any, Any, Any],
        agreement_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
        done: Done = "",
    ) -> Response[str]:
        """One agreement: its facts and filing, its terms, products, reports and invoices."""
        shown = one_agreement(db, principal, agreement_id, now)
        stored = terms.get(db, pool_id=shown.pool_id, terms_id=shown.terms_id)
        return page(
            request,
            "web/licensee/agreement.html.j2",
            principal,
            agreement=shown,
            terms=lv.terms(stored),
            products=products.listing(
                db, principal=principal, agreement_id=agreement_id, limit=lv.LIST_LIMIT, offset=0
            ).items,
            reports=[
                lv.report(item)
                for item in reports.listing(
                    db,
                    principal=principal,
                    agreement_id=agreement_id,
                    status=ReportStatus.ACCEPTED,
                    limit=lv.LIST_LIMIT,
                    offset=0,
                ).items
            ],
            invoices=invoices.listing(
                db,
                principal=principal,
                agreement_id=agreement_id,
                status=None,
                limit=lv.LIST_LIMIT,
                offset=0,
            ).items,
            done=done,
        )

    @get("/agreements/{agreement_id:int}/products/new", sync_to_thread=True)
    def product_form(
        self,
        request: Request[Any, Any, Any],
        agreement_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[str]:
        """The form to register a product on an agreement."""
        form = ProductForm()
        return _product_page(request, db, principal, agreement_id, now, form=form)

    @post("/agreements/{agreement_id:int}/products", sync_to_thread=True)
    def register_product(
        self,
        request: Request[Any, Any, Any],
        agreement_id: PathId,
        data: URLEncodedBody[ProductForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Register a product; it gets its filing code. Refusals are shown on the form. The
        "Find" button shows the patents matching the last number typed, to tick."""
        if data.find:
            return _product_page(request, db, principal, agreement_id, now, form=data)
        pool_id = one_agreement(db, principal, agreement_id, now).pool_id
        try:
            chosen = products_form.chosen(db, pool_id, now.date(), data)
        except InvalidInput as error:
            return _product_page(request, db, principal, agreement_id, now, form=data,
                                 errors=FormErrors.of(error), status=422)  # fmt: skip
        values = {
            "name": data.name.strip(),
            "model": data.model.strip(),
            "category": data.category,
            "patent_ids": chosen,
        }
        try:
            product = ProductCreate.model_validate(values)
        except ValidationError as error:
            errors = FormErrors(fields=lv.pydantic_messages(error.errors()))
            return _product_page(
                request, db, principal, agreement_id, now, form=data, errors=errors, status=422
            )
        try:
            products.register(
                db, principal=principal, agreement_id=agreement_id, data=product, now=now
            )
        except (InvalidInput, Conflict) as error:
            raise FormRefusal(partial(
                _product_page, request, db, principal, agreement_id, now, form=data,
                errors=FormErrors.of(error), status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/licensee/agreements/{agreement_id}?done=product#products")
