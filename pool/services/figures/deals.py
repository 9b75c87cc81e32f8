"""The year's deals: agreements signed (not drafts) by licensee size, through an open-licence
offer, "use first, pay later"; and agreements active at the year's end, looked up in the
audit trail for those moved since."""

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

import contracts
from pool.models.audit import AuditEvent
from pool.models.figures import Deals
from pool.models.licensing import LicenceAgreement, LicenceTerms
from pool.models.organisation import Organisation
from pool.services.figures.window import Window, by_size

ACTIVE, DRAFT = contracts.AgreementState.ACTIVE, contracts.AgreementState.DRAFT


def _signed_query(pool_id: int, w: Window) -> Any:
    return (
        select(LicenceAgreement, Organisation.size_class, LicenceTerms.payment_terms)
        .join(Organisation, col(Organisation.id) == LicenceAgreement.licensee_organisation_id)
        .join(LicenceTerms, col(LicenceTerms.id) == LicenceAgreement.terms_id)
        .where(
            LicenceAgreement.pool_id == pool_id,
            LicenceAgreement.state != DRAFT,
            col(LicenceAgreement.signed_on) >= w.start,
            col(LicenceAgreement.signed_on) < w.end,
        )
    )


def signed(session: Session, pool_id: int, w: Window) -> list[int]:
    return [a.id or 0 for a, _, _ in session.exec(_signed_query(pool_id, w)).all()]


def defers(payment_terms: dict[str, Any]) -> bool:
    """Use first, pay later: the terms name a deferral (contracts/payment.py)."""
    terms = contracts.parse_payment_terms(payment_terms)
    return any(x is not None for x in (terms.grace, terms.revenue_threshold, terms.instalments))


def deals(session: Session, pool_id: int, w: Window) -> Deals:
    rows = session.exec(_signed_query(pool_id, w)).all()
    return Deals(
        signed=len(rows),
        by_licensee_size=by_size((size, 1) for _, size, _ in rows),
        via_open_offer=sum(1 for a, _, _ in rows if a.offer_id is not None),
        use_first_pay_later=sum(1 for _, _, payment in rows if defers(payment)),
        active_at_year_end=_active_on(session, pool_id, w.as_of),
    )


def _active_on(session: Session, pool_id: int, day: date) -> int:
    """Agreements in state `active` on `day` whose term covers it. An agreement moved since
    then is looked up in the audit trail (each move records the state and its date)."""
    agreements = session.exec(
        select(LicenceAgreement).where(
            LicenceAgreement.pool_id == pool_id,
            col(LicenceAgreement.signed_on) <= day,
            col(LicenceAgreement.start_on) <= day,
            col(LicenceAgreement.end_on) > day,
        )
    ).all()
    moved = {str(a.id) for a in agreements if a.state_changed_on > day}
    history = _moves(session, pool_id, moved) if moved else {}
    return sum(1 for a in agreements if _state_on(a, day, history.get(str(a.id), [])) == ACTIVE)


def _moves(session: Session, pool_id: int, ids: set[str]) -> dict[str, list[tuple[str, date]]]:
    events = session.exec(
        select(AuditEvent.entity_id, AuditEvent.after)
        .where(
            AuditEvent.pool_id == pool_id,
            AuditEvent.entity_type == "licence_agreement",
            col(AuditEvent.entity_id).in_(ids),
        )
        .order_by(col(AuditEvent.id))
    ).all()
    found: dict[str, list[tuple[str, date]]] = {}
    for entity_id, after in events:
        if after and "state" in after and "state_changed_on" in after:
            on = date.fromisoformat(after["state_changed_on"])
            found.setdefault(entity_id, []).append((after["state"], on))
    return found


def _state_on(agreement: LicenceAgreement, day: date, moves: list[tuple[str, date]]) -> str:
    """The state on `day`: the current one if it was reached by then, else the last state
    recorded by a move dated on or before `day` (a draft before any)."""
    if agreement.state_changed_on <= day:
        return agreement.state
    earlier = [state for state, on in moves if on <= day]
    return earlier[-1] if earlier else DRAFT
