"""Licence agreements (state, filing, contract document), their products, review flags."""

from datetime import datetime
from typing import Annotated, Literal

from litestar import Controller, MediaType, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody, QueryParameter
from sqlmodel import Session

from contracts import AgreementState, LicenceType
from pool.bounds import MAX_EXACT, PathId
from pool.controllers.params import Limit, Offset, QueryId
from pool.dependencies import Caller
from pool.models.licensing import (
    AgreementCreate,
    AgreementFilters,
    AgreementMove,
    AgreementRead,
    FilingCreate,
    ProductCreate,
    ProductRead,
    ReviewFlag,
)
from pool.services.common.pages import Page, page_of
from pool.services.licensing import agreements, products, review_flags

Days = Annotated[int, QueryParameter(ge=0, le=3650)]


class AgreementController(Controller):
    path = "/agreements"
    tags = ["licensing"]

    @get("/", sync_to_thread=True)
    def list_agreements(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        pool_id: QueryId = None,
        licensee_organisation_id: QueryId = None,
        agreement_state: Annotated[AgreementState | None, QueryParameter(name="state")] = None,
        licence_type: FromQuery[LicenceType | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[AgreementRead]:
        """Staff see every agreement; a licensee its own organisation's."""
        filters = AgreementFilters(
            pool_id=pool_id,
            licensee_organisation_id=licensee_organisation_id,
            state=agreement_state,
            licence_type=licence_type,
        )
        return agreements.listing(
            db, principal=principal, filters=filters, now=now, limit=limit, offset=offset
        )

    @post("/", sync_to_thread=True)
    def create_agreement(
        self,
        data: JSONBody[AgreementCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> AgreementRead:
        """Draft a negotiated agreement for a licensee organisation (administrators only)."""
        agreement = agreements.create(db, principal=principal, data=data, now=now)
        return agreements.to_read(agreement, now)

    @get("/overdue-filings", sync_to_thread=True)
    def overdue_filings(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[AgreementRead]:
        """Active agreements signed more than three months ago and not yet filed (staff)."""
        return agreements.overdue_filings(
            db, principal=principal, now=now, limit=limit, offset=offset
        )

    @get("/{agreement_id:int}", sync_to_thread=True)
    def get_agreement(
        self,
        agreement_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> AgreementRead:
        """One agreement (staff, or its licensee), with its filing status as of today."""
        agreement = agreements.get_for_licensee(db, principal=principal, agreement_id=agreement_id)
        return agreements.to_read(agreement, now)

    @post("/{agreement_id:int}/transitions", sync_to_thread=True, status_code=200)
    def move(
        self,
        agreement_id: PathId,
        data: JSONBody[AgreementMove],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> AgreementRead:
        """Activate, suspend, terminate or expire on a date; illegal moves are 409."""
        agreement = agreements.move(
            db, principal=principal, agreement_id=agreement_id, data=data, now=now
        )
        return agreements.to_read(agreement, now)

    @post("/{agreement_id:int}/filing", sync_to_thread=True, status_code=200)
    def record_filing(
        self,
        agreement_id: PathId,
        data: JSONBody[FilingCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> AgreementRead:
        """Record the contract filing (备案): a unique number, dated on or after signature."""
        agreement = agreements.record_filing(
            db, principal=principal, agreement_id=agreement_id, data=data, now=now
        )
        return agreements.to_read(agreement, now)

    @get("/{agreement_id:int}/document", sync_to_thread=True, media_type=MediaType.HTML)
    def document(
        self,
        agreement_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        lang: FromQuery[Literal["zh-CN", "en"]] = "en",
    ) -> str:
        """The licence contract as HTML, in Chinese or English."""
        return agreements.document(
            db, principal=principal, agreement_id=agreement_id, lang=lang, now=now
        )

    @get("/{agreement_id:int}/products", sync_to_thread=True)
    def agreement_products(
        self,
        agreement_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[ProductRead]:
        """The products registered on one agreement."""
        return products.listing(
            db, principal=principal, agreement_id=agreement_id, limit=limit, offset=offset
        )

    @post("/{agreement_id:int}/products", sync_to_thread=True)
    def register_product(
        self,
        agreement_id: PathId,
        data: JSONBody[ProductCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> ProductRead:
        """Register a product on one's own active agreement; returns its filing code."""
        product = products.register(
            db, principal=principal, agreement_id=agreement_id, data=data, now=now
        )
        return ProductRead.model_validate(product)


class ProductController(Controller):
    path = "/products"
    tags = ["licensing"]

    @get("/", sync_to_thread=True)
    def list_products(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[ProductRead]:
        """Staff see every product; a licensee its own."""
        return products.listing(
            db, principal=principal, agreement_id=None, limit=limit, offset=offset
        )

    @get("/{product_id:int}", sync_to_thread=True)
    def get_product(
        self,
        product_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
    ) -> ProductRead:
        """One product (staff, or its licensee)."""
        product = products.get(db, principal=principal, product_id=product_id)
        return ProductRead.model_validate(product)


class ReviewFlagController(Controller):
    path = "/pools/{pool_id:int}/review-flags"
    tags = ["licensing"]

    @get("/", sync_to_thread=True)
    def review_flags(
        self,
        pool_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        no_product_days: Days = 90,
        nil_periods: Annotated[int, QueryParameter(ge=1, le=40)] = 2,
        report_due_days: Days = 30,
        nominal_annual_minor: Annotated[int, QueryParameter(ge=0, le=MAX_EXACT)] = 100_000,
        early_termination_days: Days = 90,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[ReviewFlag]:
        """Licences that may not aim at implementation, with the reason (staff only), by
        agreement id. The flags are computed whole on each query (terms, periods and reports
        are read in Python), so the page is cut from that list, as the dashboard reads it."""
        thresholds = review_flags.Thresholds(
            no_product_days,
            nil_periods,
            report_due_days,
            nominal_annual_minor,
            early_termination_days,
        )
        found = review_flags.flags(
            db, principal=principal, pool_id=pool_id, thresholds=thresholds, now=now
        )
        return page_of(found, limit=limit, offset=offset)


HANDLERS: list[type[Controller]] = [AgreementController, ProductController, ReviewFlagController]
