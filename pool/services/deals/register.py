"""The register of patent deals: administrators record and see every deal of a pool, auditors
see them all, a contributor records and sees the deals of its own patents; licensees have no
part in it. Every change is audited with its before and after."""

from datetime import datetime

from sqlmodel import Session, col, func, select

from pool.auth import Principal
from pool.errors import Conflict, Forbidden, InvalidInput, NotFound
from pool.models.deal import (
    DealConsent,
    DealCreate,
    DealEnd,
    DealKind,
    DealRead,
    DealReceipt,
    PatentDeal,
    PatentDealPatent,
    ReceiptCreate,
    ReceiptRead,
)
from pool.models.organisation import Organisation
from pool.models.patent import Patent
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services import audit, pools
from pool.services.audit.money_tables import state as money_state
from pool.services.audit.snapshot import snapshot
from pool.services.common.pages import Page
from pool.services.deals import effects

NOT_FOUND = "deal not found"
ONLY_PLEDGES = "only a pledge takes the pledgee's consent"


def _may_record(principal: Principal, supplier_id: int) -> None:
    if principal.role == Role.ADMIN:
        return
    if principal.role == Role.CONTRIBUTOR and principal.organisation_id == supplier_id:
        return
    if principal.role == Role.CONTRIBUTOR:
        raise InvalidInput.field("supplier_organisation_id", "a contributor records its own deals")
    raise Forbidden("deals are recorded by the administrator or the patents' owner")


def _patents(session: Session, pool_id: int, data: DealCreate) -> list[Patent]:
    ids = sorted(set(data.patent_ids))
    # Locked in id order until commit (PostgreSQL; SQLite's request holds the write lock): two
    # deals on one patent at once, a transfer and a pledge or two transfers, would both see it
    # still the supplier's and unpledged. The second now waits and reads the first's outcome.
    locked = select(Patent).where(col(Patent.id).in_(ids)).order_by(col(Patent.id))
    found = {p.id: p for p in session.exec(locked.with_for_update()).all()}
    for position, patent_id in enumerate(ids):
        patent = found.get(patent_id)
        if patent is None or patent.pool_id != pool_id:
            raise InvalidInput.field(f"patent_ids[{position}]", "no such patent in this pool")
        if patent.owner_organisation_id != data.supplier_organisation_id:
            raise InvalidInput.field(
                f"patent_ids[{position}]", "the patent belongs to another organisation"
            )
        admitted = patent.admitted_on
        if data.kind == DealKind.TRANSFER and admitted is not None and data.effective_on < admitted:
            raise InvalidInput.field(
                "effective_on", "a transfer cannot take effect before the patent was admitted"
            )
    return [found[i] for i in ids]


def _organisation(session: Session, organisation_id: int, field: str) -> Organisation:
    found = session.get(Organisation, organisation_id)
    if found is None:
        raise InvalidInput.field(field, "no such organisation")
    return found


def record(
    session: Session, *, principal: Principal, pool_id: int, data: DealCreate, now: datetime
) -> PatentDeal:
    """Record a deal; a transfer takes its patents out of the pool from its day, and neither a
    transfer nor anything else is recorded over a pledge that blocks it."""
    pool = pools.get(session, pool_id=pool_id)
    _may_record(principal, data.supplier_organisation_id)
    _organisation(session, data.supplier_organisation_id, "supplier_organisation_id")
    _organisation(session, data.counterparty_organisation_id, "counterparty_organisation_id")
    if data.counterparty_organisation_id == data.supplier_organisation_id:
        raise InvalidInput.field("counterparty_organisation_id", "must differ from the supplier")
    if data.signed_on > now.date():
        raise InvalidInput.field("signed_on", "cannot be in the future")
    patents = _patents(session, pool.id or 0, data)
    effects.refuse_if_transferred(session, [p.id or 0 for p in patents], data.effective_on)
    if data.kind == DealKind.TRANSFER:
        effects.refuse_if_pledged(session, [p.id or 0 for p in patents], data.effective_on)
    deal = PatentDeal(
        pool_id=pool_id,
        **data.model_dump(exclude={"patent_ids"}),
        recorded_by_user_id=principal.user_id,
        created_at=now,
    )
    session.add(deal)
    session.flush()
    session.add_all(PatentDealPatent(deal_id=deal.id or 0, patent_id=p.id or 0) for p in patents)
    session.flush()
    actor = audit.Actor.of(principal)
    # the deal's state with its patents' digest: `audit verify` checks the tables against it
    after = {**money_state(session, deal), "patent_ids": [p.id for p in patents]}
    audit.record(
        session, actor=actor, action=f"deal.{data.kind}_recorded", entity_type="patent_deal",
        entity_id=deal.id, pool_id=pool_id, after=after, now=now,
    )  # fmt: skip
    if data.kind == DealKind.TRANSFER:
        effects.apply_transfer(session, deal, patents, actor=actor, now=now)
    return deal


def get(session: Session, *, principal: Principal, deal_id: int) -> PatentDeal:
    """Staff see every deal; a contributor its own; nobody else finds one."""
    deal = session.get(PatentDeal, deal_id)
    if deal is None or not (
        principal.sees_everything
        or (
            principal.role == Role.CONTRIBUTOR
            and principal.organisation_id == deal.supplier_organisation_id
        )
    ):
        raise NotFound(NOT_FOUND)
    return deal


def listing(
    session: Session,
    *,
    principal: Principal,
    pool_id: int,
    kind: DealKind | None,
    limit: int,
    offset: int,
) -> Page[DealRead]:
    pools.get(session, pool_id=pool_id)
    query = select(PatentDeal).where(PatentDeal.pool_id == pool_id)
    if not principal.sees_everything:
        if principal.role != Role.CONTRIBUTOR:
            raise Forbidden("deals are the administrator's and the patents' owners'")
        query = query.where(PatentDeal.supplier_organisation_id == principal.organisation_id)
    if kind is not None:
        query = query.where(PatentDeal.kind == kind)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(PatentDeal.signed_on).desc(), col(PatentDeal.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return Page(items=read_many(session, list(rows)), total=total, limit=limit, offset=offset)


def _record_change(
    session: Session,
    deal: PatentDeal,
    principal: Principal,
    action: str,
    before: dict[str, object],
    now: datetime,
) -> None:
    session.add(deal)
    session.flush()
    audit.record(
        session, actor=audit.Actor.of(principal), action=action, entity_type="patent_deal",
        entity_id=deal.id, pool_id=deal.pool_id, before=before, after=snapshot(deal), now=now,
    )  # fmt: skip


def _writable(session: Session, principal: Principal, deal_id: int) -> PatentDeal:
    """The deal, locked until commit: an end, a consent or a receipt recorded twice at once
    would both find the deal open (the second now reads the first's outcome)."""
    deal = get(session, principal=principal, deal_id=deal_id)
    if principal.role not in (Role.ADMIN, Role.CONTRIBUTOR):
        raise Forbidden("deals are changed by the administrator or the patents' owner")
    session.exec(select(PatentDeal).where(PatentDeal.id == deal.id).with_for_update()).one()
    session.refresh(deal)
    return deal


def end(
    session: Session, *, principal: Principal, deal_id: int, data: DealEnd, now: datetime
) -> PatentDeal:
    """A pledge released, a licence ended, a transfer undone: dated, once. Releasing a pledge
    lifts its block from that day. An undone transfer does not bring the patent back: it is
    submitted again and evaluated like any patent."""
    deal = _writable(session, principal, deal_id)
    if deal.ended_on is not None:
        raise Conflict(Phrase("the deal already ended on %(day)s", day=deal.ended_on.isoformat()))
    if data.ended_on < deal.effective_on:
        raise InvalidInput.field("ended_on", "must not be before the deal took effect")
    if data.ended_on > now.date():
        raise InvalidInput.field("ended_on", "cannot be in the future")
    before = snapshot(deal) or {}
    deal.ended_on, deal.end_reason = data.ended_on, data.reason
    action = "deal.pledge_released" if deal.kind == DealKind.PLEDGE else "deal.ended"
    _record_change(session, deal, principal, action, before, now)
    return deal


def consent(
    session: Session, *, principal: Principal, deal_id: int, data: DealConsent, now: datetime
) -> PatentDeal:
    """The pledgee's consent to licensing or transferring the pledged patents, from a day."""
    deal = _writable(session, principal, deal_id)
    if deal.kind != DealKind.PLEDGE:
        raise Conflict(ONLY_PLEDGES)
    if deal.consent_on is not None:
        raise Conflict(
            Phrase("consent was already recorded from %(day)s", day=deal.consent_on.isoformat())
        )
    if data.consent_on > now.date():
        raise InvalidInput.field("consent_on", "cannot be in the future")
    before = snapshot(deal) or {}
    deal.consent_on = data.consent_on
    _record_change(session, deal, principal, "deal.pledgee_consented", before, now)
    return deal


def add_receipt(
    session: Session, *, principal: Principal, deal_id: int, data: ReceiptCreate, now: datetime
) -> DealReceipt:
    """Money received under the deal. The same reference again returns the first receipt
    when it says the same, and is refused when it does not."""
    deal = _writable(session, principal, deal_id)
    if data.received_on > now.date():
        raise InvalidInput.field("received_on", "cannot be in the future")
    if data.received_on < deal.signed_on:
        raise InvalidInput.field("received_on", "must not be before the deal was signed")
    same = session.exec(
        select(DealReceipt).where(
            DealReceipt.deal_id == deal.id, DealReceipt.reference == data.reference
        )
    ).first()
    if same is not None:
        if (same.received_on, same.amount_minor) != (data.received_on, data.amount_minor):
            raise Conflict(
                Phrase(
                    "receipt %(reference)s was recorded with another date or amount",
                    reference=repr(data.reference),
                )
            )
        return same
    receipt = DealReceipt(deal_id=deal.id or 0, **data.model_dump(), created_at=now)
    session.add(receipt)
    session.flush()
    audit.record(  # the receipt is its own money row: `audit verify` checks it against this
        session, actor=audit.Actor.of(principal), action="deal.receipt_recorded",
        entity_type="deal_receipt", entity_id=receipt.id, pool_id=deal.pool_id,
        after=money_state(session, receipt), now=now,
    )  # fmt: skip
    return receipt


def read_many(session: Session, deals: list[PatentDeal]) -> list[DealRead]:
    """The deals as the API gives them: patents, receipts, the amount received so far."""
    ids = [d.id or 0 for d in deals]
    patents: dict[int, list[int]] = {i: [] for i in ids}
    receipts: dict[int, list[DealReceipt]] = {i: [] for i in ids}
    if ids:
        for link in session.exec(
            select(PatentDealPatent)
            .where(col(PatentDealPatent.deal_id).in_(ids))
            .order_by(col(PatentDealPatent.patent_id))
        ):
            patents[link.deal_id].append(link.patent_id)
        for receipt in session.exec(
            select(DealReceipt)
            .where(col(DealReceipt.deal_id).in_(ids))
            .order_by(col(DealReceipt.received_on), col(DealReceipt.id))
        ):
            receipts[receipt.deal_id].append(receipt)
    currency = {d.pool_id: pools.get(session, pool_id=d.pool_id).currency for d in deals}
    return [
        DealRead(
            **deal.model_dump(exclude={"recorded_by_user_id"}),
            patent_ids=patents[deal.id or 0],
            currency=currency[deal.pool_id],
            received_minor=sum(r.amount_minor for r in receipts[deal.id or 0]),
            receipts=[ReceiptRead.model_validate(r) for r in receipts[deal.id or 0]],
        )
        for deal in deals
    ]
