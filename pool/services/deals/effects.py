"""What a deal does to the pool.

- A pledge (Civil Code art. 444): once registered, the pledgor may not transfer or license the
  pledged patent without the pledgee's consent. So from its `effective_on` until its release
  (`ended_on`) or the recorded consent (`consent_on`), a pledge blocks a new open-licence offer
  covering the patent and a transfer of it (409, naming the pledge).
- A transfer ends the patent's inclusion in the pool from its `effective_on` (half-open: the
  old owner's patent counts up to the day before) and moves it to `transferred`; it keeps its
  history (statements, runs and the patent row stay as they were). From that day its old owner
  can record no other deal on it (409, naming the transfer) unless the transfer is undone."""

from datetime import date, datetime

from sqlalchemy import true
from sqlmodel import Session, col, or_, select

from pool.errors import Conflict
from pool.models.deal import DealKind, PatentDeal, PatentDealPatent
from pool.models.organisation import Organisation
from pool.models.patent import END_STATES, Patent, PatentEnd, PatentInclusion, PatentStatus
from pool.rendering import Phrase
from pool.services import audit
from pool.services.patents import evaluation


def _in_force(
    session: Session, kind: DealKind, patent_ids: list[int], on: date
) -> list[tuple[PatentDeal, list[str]]]:
    """The deals of `kind` in force on `on` over any of these patents (from `effective_on`
    until `ended_on`; a pledge also until the pledgee's consent), each with the numbers it
    covers, in deal order."""
    if not patent_ids:
        return []
    consent = (
        or_(col(PatentDeal.consent_on).is_(None), col(PatentDeal.consent_on) > on)
        if kind == DealKind.PLEDGE
        else true()
    )
    rows = session.exec(
        select(PatentDeal, Patent.number)
        .join(PatentDealPatent, col(PatentDealPatent.deal_id) == PatentDeal.id)
        .join(Patent, col(Patent.id) == PatentDealPatent.patent_id)
        .where(
            PatentDeal.kind == kind,
            col(PatentDealPatent.patent_id).in_(patent_ids),
            col(PatentDeal.effective_on) <= on,
            or_(col(PatentDeal.ended_on).is_(None), col(PatentDeal.ended_on) > on),
            consent,
        )
        .order_by(col(PatentDeal.id), col(Patent.number))
    ).all()
    found: dict[int, tuple[PatentDeal, list[str]]] = {}
    for deal, number in rows:
        found.setdefault(deal.id or 0, (deal, []))[1].append(number)
    return list(found.values())


def blocking_pledges(
    session: Session, patent_ids: list[int], on: date
) -> list[tuple[PatentDeal, list[str]]]:
    """The pledges in force on `on` without consent, each with the numbers it covers."""
    return _in_force(session, DealKind.PLEDGE, patent_ids, on)


def _name(session: Session, organisation_id: int) -> str:
    found = session.get(Organisation, organisation_id)
    return found.name if found is not None else f"#{organisation_id}"


def refuse_if_pledged(session: Session, patent_ids: list[int], on: date) -> None:
    """409 naming the first pledge that blocks licensing or transferring these patents."""
    blocking = blocking_pledges(session, patent_ids, on)
    if blocking:
        deal, numbers = blocking[0]
        raise Conflict(
            Phrase(
                "patent %(numbers)s is pledged (deal %(deal)s, to %(pledgee)s, "
                "from %(since)s): record the pledgee's consent or the pledge's release first",
                numbers=", ".join(numbers),
                deal=deal.id,
                pledgee=_name(session, deal.counterparty_organisation_id),
                since=deal.effective_on.isoformat(),
            )
        )


def refuse_if_transferred(session: Session, patent_ids: list[int], on: date) -> None:
    """409 naming the transfer that took these patents from their owner before `on`: from its
    day the old owner can no longer transfer, pledge, license or contribute them, until the
    transfer is undone (ended)."""
    transfers = _in_force(session, DealKind.TRANSFER, patent_ids, on)
    if transfers:
        deal, numbers = transfers[0]
        raise Conflict(
            Phrase(
                "patent %(numbers)s was transferred to %(assignee)s from %(since)s "
                "(deal %(deal)s): its old owner can no longer deal in it",
                numbers=", ".join(numbers),
                assignee=_name(session, deal.counterparty_organisation_id),
                since=deal.effective_on.isoformat(),
                deal=deal.id,
            )
        )


def patents_covered_by_offer(
    session: Session, *, pool_id: int, country: str, on: date
) -> list[int]:
    """The patents an open licence published on `on` for `country` would cover: those of the
    pool in that country whose inclusion holds on that day or starts later."""
    return list(
        session.exec(
            select(PatentInclusion.patent_id)
            .where(
                PatentInclusion.pool_id == pool_id,
                PatentInclusion.country == country,
                or_(col(PatentInclusion.end_on).is_(None), col(PatentInclusion.end_on) > on),
            )
            .distinct()
        ).all()
    )


def apply_transfer(
    session: Session, deal: PatentDeal, patents: list[Patent], *, actor: audit.Actor, now: datetime
) -> None:
    """End each patent's inclusion from the transfer's day; one already ended keeps its end."""
    for patent in patents:
        if patent.status in END_STATES:
            continue
        evaluation.end_by_system(
            session,
            actor=actor,
            patent=patent,
            data=PatentEnd(
                status=PatentStatus.TRANSFERRED,
                on=deal.effective_on,
                reason=f"transferred to organisation {deal.counterparty_organisation_id} "
                f"(deal {deal.id})",
            ),
            now=now,
        )
