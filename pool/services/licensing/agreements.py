"""Licence agreements: drafted by the administrator, moved through the `contracts` state machine,
and filed (备案) within three months of signature.

Licensees see only their own organisation's agreements; contributors see none (404).
"""

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, or_, select

import contracts
from pool import rendering
from pool.auth import Principal
from pool.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from pool.models.licensing import (
    AgreementCreate,
    AgreementFilters,
    AgreementMove,
    AgreementRead,
    FilingCreate,
    LicenceAgreement,
    OpenOffer,
)
from pool.models.organisation import Organisation
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services import audit, patents, pools
from pool.services.audit.snapshot import snapshot
from pool.services.common.pages import Page, paginate
from pool.services.licensing import terms

FILING_MONTHS = 3
"""A licence contract is filed within three months of its signature (DOMAIN.md section 1.4)."""

EXCLUSIVE_TYPES = frozenset({contracts.LicenceType.EXCLUSIVE, contracts.LicenceType.SOLE})
OPEN_LICENCE_ONLY = (
    "the pool has a published open licence: a %(licence_type)s licence cannot coexist with it"
)
LIVE_STATES = (
    contracts.AgreementState.DRAFT,
    contracts.AgreementState.ACTIVE,
    contracts.AgreementState.SUSPENDED,
)


def get_for_licensee(
    session: Session, *, principal: Principal, agreement_id: int
) -> LicenceAgreement:
    """The agreement if the caller may see it: staff any, a licensee its own, else 404."""
    agreement = session.get(LicenceAgreement, agreement_id)
    if agreement is None or principal.role == Role.CONTRIBUTOR:
        raise NotFound("agreement not found")
    principal.require_staff_or_org(agreement.licensee_organisation_id, "agreement")
    return agreement


def filing_due_on(agreement: LicenceAgreement) -> date:
    return contracts.add_months(agreement.signed_on, FILING_MONTHS)


def filing_overdue(agreement: LicenceAgreement, today: date) -> bool:
    """Active, unfiled, and the three months since signature have passed."""
    return (
        agreement.state == contracts.AgreementState.ACTIVE
        and agreement.filing_number is None
        and today > filing_due_on(agreement)
    )


def to_read(agreement: LicenceAgreement, now: datetime) -> AgreementRead:
    return AgreementRead.model_validate(
        {
            **agreement.model_dump(),
            "worldwide": not agreement.territory,
            "filing_due_on": filing_due_on(agreement),
            "filing_overdue": filing_overdue(agreement, now.date()),
        }
    )


def live_offer_id(session: Session, *, pool_id: int, today: date) -> int | None:
    """A published offer not withdrawn by `today` (an open licence excludes exclusive ones)."""
    return session.exec(
        select(OpenOffer.id).where(
            OpenOffer.pool_id == pool_id,
            or_(col(OpenOffer.withdrawn_on).is_(None), col(OpenOffer.withdrawn_on) > today),
        )
    ).first()


def _check(session: Session, data: AgreementCreate, today: date) -> None:
    if session.get(Organisation, data.licensee_organisation_id) is None:
        raise InvalidInput.field("licensee_organisation_id", "no such organisation")
    if data.end_on <= data.start_on:
        raise InvalidInput.field("end_on", "must be after start_on (the end is exclusive)")
    royalty, _ = terms.parsed(terms.get(session, pool_id=data.pool_id, terms_id=data.terms_id))
    for index, name in enumerate(data.product_categories):
        if royalty.category(name) is None:
            raise InvalidInput.field(
                f"product_categories[{index}]",
                Phrase("'%(name)s' is not a category of these terms", name=name),
            )
    if data.licence_type in EXCLUSIVE_TYPES and live_offer_id(
        session, pool_id=data.pool_id, today=today
    ):
        raise Conflict(Phrase(OPEN_LICENCE_ONLY, licence_type=data.licence_type))


def save(
    session: Session,
    agreement: LicenceAgreement,
    *,
    principal: Principal,
    action: str,
    before: dict[str, object] | None,
    now: datetime,
) -> LicenceAgreement:
    session.add(agreement)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action=action,
        entity_type="licence_agreement",
        entity_id=agreement.id,
        pool_id=agreement.pool_id,
        before=before,
        after=snapshot(agreement),
        now=now,
    )
    return agreement


def create(
    session: Session, *, principal: Principal, data: AgreementCreate, now: datetime
) -> LicenceAgreement:
    """A negotiated agreement starts as a draft; the terms must be a version of this pool."""
    pools.get(session, pool_id=data.pool_id)
    principal.require_admin()
    _check(session, data, now.date())
    agreement = LicenceAgreement(
        **data.model_dump(exclude={"territory"}),
        territory=[] if data.territory == "worldwide" else list(data.territory),
        state=contracts.AgreementState.DRAFT,
        state_changed_on=data.signed_on,  # so no move can be dated before the signature
        created_at=now,
    )
    return save(
        session, agreement, principal=principal, action="agreement.created", before=None, now=now
    )


def move(
    session: Session, *, principal: Principal, agreement_id: int, data: AgreementMove, now: datetime
) -> LicenceAgreement:
    """Moves are checked by `contracts.LicenceAgreement`: wrong state or a date before the
    previous move is a 409 naming the field."""
    agreement = get_for_licensee(session, principal=principal, agreement_id=agreement_id)
    principal.require_admin()
    machine = contracts.LicenceAgreement(
        licence_type=contracts.LicenceType(agreement.licence_type),
        created_on=agreement.state_changed_on,
        state=contracts.AgreementState(agreement.state),
    )
    try:
        moved = machine.move(data.to, on=data.on, reason=data.reason)
    except contracts.IllegalTransition as error:
        field = {"$.state": "to", "$.on": "on"}.get(error.path, error.path)
        faulty = Phrase("%(field)s: %(message)s", field=field, message=error.message)
        raise IllegalTransition(faulty) from error
    before = snapshot(agreement)
    agreement.state, agreement.state_changed_on = moved.state, data.on
    return save(
        session,
        agreement,
        principal=principal,
        action=f"agreement.{moved.state}",
        before=before,
        now=now,
    )


def record_filing(
    session: Session, *, principal: Principal, agreement_id: int, data: FilingCreate, now: datetime
) -> LicenceAgreement:
    """A filing is recorded once; its number is unique across all agreements."""
    agreement = get_for_licensee(session, principal=principal, agreement_id=agreement_id)
    principal.require_admin()
    if agreement.filing_number is not None:
        raise Conflict(Phrase("already filed as %(number)s", number=agreement.filing_number))
    if data.filed_on < agreement.signed_on:
        raise InvalidInput.field("filed_on", "must not be before the signature date")
    clash = session.exec(
        select(LicenceAgreement.id).where(LicenceAgreement.filing_number == data.filing_number)
    ).first()
    if clash is not None:
        raise Conflict(Phrase("filing number '%(n)s' is already recorded", n=data.filing_number))
    before = snapshot(agreement)
    agreement.filing_number, agreement.filed_on = data.filing_number, data.filed_on
    return save(
        session, agreement, principal=principal, action="agreement.filed", before=before, now=now
    )


def listing(
    session: Session,
    *,
    principal: Principal,
    filters: AgreementFilters,
    now: datetime,
    limit: int,
    offset: int,
) -> Page[AgreementRead]:
    """Staff list every agreement; a licensee its own organisation's; contributors none."""
    if principal.role == Role.CONTRIBUTOR:
        raise NotFound("agreements not found")
    query = select(LicenceAgreement).order_by(col(LicenceAgreement.id))
    if not principal.sees_everything:
        query = query.where(LicenceAgreement.licensee_organisation_id == principal.organisation_id)
    for field in ("pool_id", "licensee_organisation_id", "state", "licence_type"):
        value = getattr(filters, field)
        if value is not None:
            query = query.where(getattr(LicenceAgreement, field) == value)
    return paginate(
        session, query, limit=limit, offset=offset, convert=lambda row: to_read(row, now)
    )


def overdue_filings(
    session: Session, *, principal: Principal, now: datetime, limit: int, offset: int
) -> Page[AgreementRead]:
    """Active agreements signed more than three months before today and still unfiled.

    SQL narrows to active, unfiled agreements signed at least two months ago; the exact
    calendar rule (`filing_overdue`, month ends clamped) is applied here."""
    principal.require_staff()
    today = now.date()
    query = (
        select(LicenceAgreement)
        .where(
            LicenceAgreement.state == contracts.AgreementState.ACTIVE,
            col(LicenceAgreement.filing_number).is_(None),
            col(LicenceAgreement.signed_on) <= contracts.add_months(today, 1 - FILING_MONTHS),
        )
        .order_by(col(LicenceAgreement.signed_on), col(LicenceAgreement.id))
    )
    overdue = [row for row in session.exec(query) if filing_overdue(row, today)]
    return Page[AgreementRead](
        items=[to_read(row, now) for row in overdue[offset : offset + limit]],
        total=len(overdue),
        limit=limit,
        offset=offset,
    )


def _patents_at_signature(session: Session, agreement: LicenceAgreement) -> list[dict[str, object]]:
    """Pool patents in force on the signature day (in the territory): licensees keep them."""
    rows = session.exec(patents.in_force_on(agreement.pool_id, agreement.signed_on)).all()
    return [
        {
            "number": p.number,
            "country": p.country,
            "title": p.title,
            "filing_date": p.filing_date.isoformat(),
            "grant_date": p.grant_date.isoformat() if p.grant_date else "",
        }
        for p, _, _ in rows
        if not agreement.territory or p.country in agreement.territory
    ]


def document(
    session: Session, *, principal: Principal, agreement_id: int, lang: str, now: datetime
) -> str:
    """The licence contract (HTML, Chinese or English) from a prepared view model."""
    agreement = get_for_licensee(session, principal=principal, agreement_id=agreement_id)
    pool = pools.get(session, pool_id=agreement.pool_id)
    licensee = session.get(Organisation, agreement.licensee_organisation_id)
    stored = terms.get(session, pool_id=agreement.pool_id, terms_id=agreement.terms_id)
    view = {
        "lang": lang,
        "agreement": {
            **to_read(agreement, now).model_dump(mode="json"),
            "last_day": (agreement.end_on - timedelta(days=1)).isoformat(),
        },
        "pool": {"name": pool.name, "standard": pool.standard or "", "currency": pool.currency},
        "licensee": {
            "name": licensee.name if licensee else "",
            "country": licensee.country if licensee else "",
            "uscc": (licensee.uscc or "") if licensee else "",
        },
        "patents": _patents_at_signature(session, agreement),
        "terms": {"version": stored.version, "sha256": stored.sha256},
        "fees": terms.fee_view(*terms.parsed(stored)),
    }
    # its labels are its own (`T`); the category names read the catalogue in its language
    locale = "zh_CN" if view["lang"] == "zh-CN" else "en"
    return rendering.render_in(locale, "licence_contract.html.j2", **view)
