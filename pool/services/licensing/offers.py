"""Open-licence offers: one published fee standard, payment method and term, for anyone.

The rules of open licensing (ordinary only, the CN 20 % ceiling) are `contracts`'; this module
stores offers, lists them publicly and turns an acceptance into an active agreement on exactly
the offer's terms.
"""

from datetime import date, datetime

from sqlmodel import Session, col, or_, select

import contracts
from pool.auth import Principal
from pool.errors import Conflict, InvalidInput, NotFound
from pool.models.licensing import (
    LicenceAgreement,
    LicenceTerms,
    OfferCreate,
    OfferRead,
    OfferWithdraw,
    OpenOffer,
    PublicOffer,
)
from pool.models.pool import Pool, PoolStatus
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services import audit, deals, pools
from pool.services.audit.snapshot import snapshot
from pool.services.common.pages import Page, paginate
from pool.services.licensing import agreements, terms

_OFFER_FIELDS = {"terms": "terms_id", "payment": "terms_id"}


def validated(session: Session, *, pool_id: int, data: OfferCreate) -> contracts.OpenLicenceOffer:
    """The offer as `contracts` sees it; its faults are reported against our body's fields."""
    stored = terms.get(session, pool_id=pool_id, terms_id=data.terms_id)
    raw = {
        "terms": stored.royalty_terms,
        "payment": stored.payment_terms,
        "term_months": data.term_months,
        "jurisdiction": data.jurisdiction,
    }
    try:
        return contracts.parse_offer(raw)
    except contracts.InvalidOffer as error:
        top = error.path.removeprefix("$.").split(".")[0].split("[")[0]
        field = _OFFER_FIELDS.get(top, top)
        raise InvalidInput.field(
            field, Phrase("%(path)s: %(message)s", path=error.path, message=error.message)
        ) from error


def _refuse_if_exclusive(session: Session, pool_id: int) -> None:
    exclusive = session.exec(
        select(LicenceAgreement.id).where(
            LicenceAgreement.pool_id == pool_id,
            col(LicenceAgreement.licence_type).in_(agreements.EXCLUSIVE_TYPES),
            col(LicenceAgreement.state).in_(agreements.LIVE_STATES),
        )
    ).first()
    if exclusive is not None:
        raise Conflict(
            Phrase(
                "agreement %(agreement)s is an exclusive or sole licence: an open licence "
                "cannot coexist with it",
                agreement=exclusive,
            )
        )


def publish(
    session: Session, *, principal: Principal, pool_id: int, data: OfferCreate, now: datetime
) -> OpenOffer:
    pools.get(session, pool_id=pool_id)
    principal.require_admin()
    offer = validated(session, pool_id=pool_id, data=data)
    _refuse_if_exclusive(session, pool_id)
    published_on = data.published_on or now.date()
    covered = deals.patents_covered_by_offer(
        session, pool_id=pool_id, country=data.jurisdiction, on=published_on
    )
    deals.refuse_if_pledged(session, covered, published_on)
    row = OpenOffer(
        pool_id=pool_id,
        terms_id=data.terms_id,
        term_months=data.term_months,
        jurisdiction=data.jurisdiction,
        payment_method=data.payment_method,
        sha256=offer.sha256(),
        published_on=data.published_on or now.date(),
        created_at=now,
    )
    return _save(session, row, principal=principal, action="offer.published", before=None, now=now)


def _save(
    session: Session,
    row: OpenOffer,
    *,
    principal: Principal,
    action: str,
    before: dict[str, object] | None,
    now: datetime,
) -> OpenOffer:
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action=action,
        entity_type="open_offer",
        entity_id=row.id,
        pool_id=row.pool_id,
        before=before,
        after=snapshot(row),
        now=now,
    )
    return row


def get(session: Session, *, offer_id: int) -> OpenOffer:
    offer = session.get(OpenOffer, offer_id)
    if offer is None:
        raise NotFound("offer not found")
    return offer


def withdraw(
    session: Session, *, principal: Principal, offer_id: int, data: OfferWithdraw, now: datetime
) -> OpenOffer:
    """Withdrawal is dated; agreements already accepted keep running on their terms."""
    offer = get(session, offer_id=offer_id)
    principal.require_admin()
    if offer.withdrawn_on is not None:
        raise Conflict(
            Phrase("the offer was already withdrawn on %(day)s", day=offer.withdrawn_on.isoformat())
        )
    if data.withdrawn_on < offer.published_on:
        raise InvalidInput.field("withdrawn_on", "must not be before the offer was published")
    before = snapshot(offer)
    offer.withdrawn_on = data.withdrawn_on
    return _save(
        session, offer, principal=principal, action="offer.withdrawn", before=before, now=now
    )


def _published(today: date):  # type: ignore[no-untyped-def]
    """Offers anyone may accept on `today`, of open pools, with their terms and pool."""
    return (
        select(OpenOffer, LicenceTerms, Pool)
        .join(LicenceTerms, col(LicenceTerms.id) == OpenOffer.terms_id)
        .join(Pool, col(Pool.id) == OpenOffer.pool_id)
        .where(
            Pool.status == PoolStatus.OPEN,
            col(OpenOffer.published_on) <= today,
            or_(col(OpenOffer.withdrawn_on).is_(None), col(OpenOffer.withdrawn_on) > today),
        )
        .order_by(col(OpenOffer.id))
    )


def _public(row: tuple[OpenOffer, LicenceTerms, Pool]) -> PublicOffer:
    offer, stored, pool = row
    return PublicOffer(
        **offer.model_dump(include=set(PublicOffer.model_fields) - {"pool_name"}),
        pool_name=pool.name,
        currency=pool.currency,
        terms_version=stored.version,
        royalty_terms=stored.royalty_terms,
        payment_terms=stored.payment_terms,
    )


def public_listing(
    session: Session, *, pool_id: int | None, today: date, limit: int, offset: int
) -> Page[PublicOffer]:
    """Published offers, for anyone, signed in or not."""
    query = _published(today)
    if pool_id is not None:
        pools.get(session, pool_id=pool_id)
        query = query.where(OpenOffer.pool_id == pool_id)
    return paginate(session, query, limit=limit, offset=offset, convert=_public)


def listing(
    session: Session, *, principal: Principal, pool_id: int, limit: int, offset: int
) -> Page[OfferRead]:
    """Every offer of a pool, withdrawn and future ones too: staff only."""
    pools.get(session, pool_id=pool_id)
    principal.require_staff()
    query = select(OpenOffer).where(OpenOffer.pool_id == pool_id).order_by(col(OpenOffer.id))
    return paginate(session, query, limit=limit, offset=offset, convert=OfferRead.model_validate)


def accept(
    session: Session, *, principal: Principal, offer_id: int, now: datetime
) -> LicenceAgreement:
    """Accepting creates an active, ordinary agreement on exactly the offer: from today for
    `term_months`, in the offer's jurisdiction, for every category of its terms."""
    today = now.date()
    row = session.exec(_published(today).where(OpenOffer.id == offer_id)).first()
    if row is None:
        raise NotFound("offer not found")
    offer, stored, _ = row
    principal.require_role(Role.LICENSEE)
    organisation_id = principal.organisation_id or 0
    _refuse_second_acceptance(session, offer, organisation_id)
    created = _agreement(offer, stored, organisation_id, now)
    return agreements.save(
        session,
        created,
        principal=principal,
        action="agreement.offer_accepted",
        before=None,
        now=now,
    )


def _agreement(
    offer: OpenOffer, stored: LicenceTerms, organisation_id: int, now: datetime
) -> LicenceAgreement:
    """The row `contracts.OpenLicenceOffer.accept` describes, for today."""
    today = now.date()
    royalty, payment = terms.parsed(stored)
    accepted = contracts.OpenLicenceOffer(
        terms=royalty,
        payment=payment,
        term_months=offer.term_months,
        jurisdiction=offer.jurisdiction,
    )
    if accepted.sha256() != offer.sha256:  # stored terms are immutable: this never happens
        raise Conflict("the offer's terms no longer match what was published")
    agreement = accepted.accept(accepted_on=today)
    return LicenceAgreement(
        pool_id=offer.pool_id,
        licensee_organisation_id=organisation_id,
        terms_id=offer.terms_id,
        offer_id=offer.id,
        licence_type=agreement.licence_type,
        territory=[offer.jurisdiction],
        product_categories=[category.category for category in royalty.categories],
        signed_on=today,
        start_on=today,
        end_on=accepted.ends_on(today),
        state=agreement.state,
        state_changed_on=today,
        payment_method=offer.payment_method,
        created_at=now,
    )


def _refuse_second_acceptance(session: Session, offer: OpenOffer, organisation_id: int) -> None:
    running = session.exec(
        select(LicenceAgreement.id).where(
            LicenceAgreement.offer_id == offer.id,
            LicenceAgreement.licensee_organisation_id == organisation_id,
            col(LicenceAgreement.state).in_(agreements.LIVE_STATES),
        )
    ).first()
    if running is not None:
        raise Conflict(
            Phrase(
                "your organisation already holds agreement %(agreement)s on this offer",
                agreement=running,
            )
        )
