"""Licence terms and open-licence offers (published fee standards)."""

from datetime import datetime
from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset
from pool.dependencies import Caller
from pool.models.licensing import (
    AgreementRead,
    OfferCreate,
    OfferRead,
    OfferWithdraw,
    PublicOffer,
    TermsCreate,
    TermsRead,
)
from pool.services.common.pages import Page
from pool.services.licensing import agreements, offers, terms

Days = Annotated[int, QueryParameter(ge=0, le=3650)]


class TermsController(Controller):
    path = "/pools/{pool_id:int}/terms"
    tags = ["licensing"]

    @get("/", sync_to_thread=True)
    def list_terms(
        self,
        pool_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[TermsRead]:
        """Every terms version of the pool: the published fee standard, for any signed-in user."""
        return terms.listing(db, pool_id=pool_id, limit=limit, offset=offset)

    @post("/", sync_to_thread=True)
    def add_terms(
        self,
        pool_id: PathId,
        data: JSONBody[TermsCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> TermsRead:
        """Add an immutable terms version (administrators only); stored canonical and hashed."""
        created = terms.create(db, principal=principal, pool_id=pool_id, data=data, now=now)
        return TermsRead.model_validate(created)

    @get("/{terms_id:int}", sync_to_thread=True)
    def get_terms(
        self,
        pool_id: PathId,
        terms_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
    ) -> TermsRead:
        """One terms version."""
        return TermsRead.model_validate(terms.get(db, pool_id=pool_id, terms_id=terms_id))


class PoolOfferController(Controller):
    path = "/pools/{pool_id:int}/offers"
    tags = ["licensing"]

    @get("/", sync_to_thread=True)
    def list_offers(
        self,
        pool_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[OfferRead]:
        """Every offer of the pool, withdrawn ones too (staff); others use the public list."""
        return offers.listing(db, principal=principal, pool_id=pool_id, limit=limit, offset=offset)

    @post("/", sync_to_thread=True)
    def publish_offer(
        self,
        pool_id: PathId,
        data: JSONBody[OfferCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> OfferRead:
        """Publish an open licence on a terms version (administrators only)."""
        offer = offers.publish(db, principal=principal, pool_id=pool_id, data=data, now=now)
        return OfferRead.model_validate(offer)


class OfferController(Controller):
    path = "/offers/{offer_id:int}"
    tags = ["licensing"]

    @post("/accept", sync_to_thread=True)
    def accept(
        self,
        offer_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> AgreementRead:
        """Accept a published offer: an active agreement from today on exactly its terms."""
        agreement = offers.accept(db, principal=principal, offer_id=offer_id, now=now)
        return agreements.to_read(agreement, now)

    @post("/withdraw", sync_to_thread=True, status_code=200)
    def withdraw(
        self,
        offer_id: PathId,
        data: JSONBody[OfferWithdraw],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> OfferRead:
        """Withdraw an offer on a date (administrators only)."""
        offer = offers.withdraw(db, principal=principal, offer_id=offer_id, data=data, now=now)
        return OfferRead.model_validate(offer)


class PublicOfferController(Controller):
    path = "/public"
    tags = ["public"]
    security = [{}]

    @get("/offers", sync_to_thread=True)
    def all_offers(
        self,
        db: NamedDependency[Session],
        now: NamedDependency[datetime],
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[PublicOffer]:
        """Published open licences of every open pool, for anyone."""
        return offers.public_listing(db, pool_id=None, today=now.date(), limit=limit, offset=offset)

    @get("/pools/{pool_id:int}/offers", sync_to_thread=True)
    def pool_offers(
        self,
        pool_id: PathId,
        db: NamedDependency[Session],
        now: NamedDependency[datetime],
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[PublicOffer]:
        """Published open licences of one pool, for anyone."""
        return offers.public_listing(
            db, pool_id=pool_id, today=now.date(), limit=limit, offset=offset
        )


HANDLERS: list[type[Controller]] = [
    TermsController,
    PoolOfferController,
    OfferController,
    PublicOfferController,
]
