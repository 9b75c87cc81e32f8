"""Yearly performance figures of a pool, as the Beijing programme counts them (DOMAIN.md
section 4; docs/figures.md defines every figure exactly).

Read-only and computed from the data on every call, for the year `[1 January, 1 January)`
cut at today for a year not over yet, and for the year before it, with growth rates against
the 3 % a year target. Money is summed in integer minor units of the pool's currency; growth
is computed in integers and given as a `Decimal`. Review flags come from `review_flags` (the
same flags administrators see), restricted to the year's deals."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as select_rows
from sqlmodel import Session, col, select

import contracts
from pool.auth import Principal
from pool.errors import InvalidInput
from pool.models.audit import AuditEvent
from pool.models.billing import Invoice, InvoiceKind, InvoiceStatus, PaymentAllocation
from pool.models.distribution import DistributionRun, RunContributor, RunStatus
from pool.models.figures import (
    BySize,
    Contracted,
    Deals,
    Distributed,
    DistributedToKind,
    Growth,
    Headline,
    Received,
    YearFigures,
    YearlyFigures,
)
from pool.models.licensing import LicenceAgreement, LicenceTerms
from pool.models.organisation import Organisation, OrganisationKind
from pool.services import pools, review_flags

TARGET_GROWTH_PERCENT = Decimal(3)
FIRST_YEAR, LAST_YEAR = 2000, 2100
PERCENT_PLACES = 4
ACTIVE, DRAFT = contracts.AgreementState.ACTIVE, contracts.AgreementState.DRAFT


@dataclass(frozen=True)
class Window:
    """The days of `year` counted: `[start, end)`, `end` at most the day after today."""

    year: int
    start: date
    end: date
    complete: bool

    @classmethod
    def of(cls, year: int, today: date) -> "Window":
        next_year = date(year + 1, 1, 1)
        end = min(next_year, today + timedelta(days=1))
        return cls(year, date(year, 1, 1), end, end == next_year)

    @property
    def as_of(self) -> date:
        return self.end - timedelta(days=1)


def yearly(
    session: Session,
    *,
    principal: Principal,
    pool_id: int,
    year: int,
    now: datetime,
    thresholds: review_flags.Thresholds | None = None,
    target_percent: Decimal = TARGET_GROWTH_PERCENT,
) -> YearlyFigures:
    """The pool's figures for `year` and the year before (administrators and auditors).
    `thresholds` are the review flags' (their defaults when None)."""
    pool = pools.get(session, pool_id=pool_id)
    principal.require_staff()
    today = now.date()
    if not FIRST_YEAR <= year <= min(LAST_YEAR, today.year):
        raise InvalidInput.field("year", f"must be from {FIRST_YEAR} to {today.year}")
    window = Window.of(year, today)
    current = _year(session, pool_id, window)
    previous = _year(session, pool_id, Window.of(year - 1, today))
    deals = set(_signed(session, pool_id, window))
    found = review_flags.flags(
        session,
        principal=principal,
        pool_id=pool_id,
        thresholds=thresholds or review_flags.Thresholds(),
        now=now,
    )
    flags = [flag for flag in found if flag.agreement_id in deals]
    by_kind: dict[str, int] = {}
    for flag in flags:
        by_kind[flag.kind] = by_kind.get(flag.kind, 0) + 1
    return YearlyFigures(
        pool_id=pool_id,
        pool_name=pool.name,
        currency=pool.currency,
        year=year,
        target_growth_percent=target_percent,
        current=current,
        previous=previous,
        growth=[
            growth("deals", previous.deals.signed, current.deals.signed, target_percent),
            growth("contracted", *_totals(previous, current, "contracted"), target_percent),
            growth("received", *_totals(previous, current, "received"), target_percent),
        ],
        review_flags=dict(sorted(by_kind.items())),
        flagged_agreements=len({flag.agreement_id for flag in flags}),
        flags=flags,
    )


def _totals(previous: YearFigures, current: YearFigures, name: str) -> tuple[int, int]:
    return getattr(previous, name).total_minor, getattr(current, name).total_minor


def growth(figure: Headline, previous: int, current: int, target_percent: Decimal) -> Growth:
    """Growth in percent, rounded down to `PERCENT_PLACES`; the target test is exact."""
    if previous <= 0:
        return Growth(
            figure=figure, previous=previous, current=current, percent=None, meets_target=False
        )
    scaled = (current - previous) * 100 * 10**PERCENT_PLACES // previous  # floor
    percent = Decimal(scaled).scaleb(-PERCENT_PLACES).quantize(Decimal(1).scaleb(-PERCENT_PLACES))
    meets = (current - previous) * 100 >= Fraction(target_percent) * previous
    return Growth(
        figure=figure, previous=previous, current=current, percent=percent, meets_target=meets
    )


def _year(session: Session, pool_id: int, w: Window) -> YearFigures:
    return YearFigures(
        year=w.year,
        start=w.start,
        end=w.end,
        as_of=w.as_of,
        complete=w.complete,
        deals=_deals(session, pool_id, w),
        contracted=_contracted(session, pool_id, w),
        received=_received(session, pool_id, w),
        distributed=_distributed(session, pool_id, w),
    )


def _by_size(pairs: Iterable[tuple[str | None, Any]]) -> BySize:
    totals: dict[str, int] = {}
    for size, amount in pairs:
        key = size or "unknown"
        totals[key] = totals.get(key, 0) + int(amount or 0)
    return BySize(**totals)


# ---------------------------------------------------------------- deals


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


def _signed(session: Session, pool_id: int, w: Window) -> list[int]:
    return [a.id or 0 for a, _, _ in session.exec(_signed_query(pool_id, w)).all()]


def defers(payment_terms: dict[str, Any]) -> bool:
    """Use first, pay later: the terms name a deferral (contracts/payment.py)."""
    terms = contracts.parse_payment_terms(payment_terms)
    return any(x is not None for x in (terms.grace, terms.revenue_threshold, terms.instalments))


def _deals(session: Session, pool_id: int, w: Window) -> Deals:
    rows = session.exec(_signed_query(pool_id, w)).all()
    return Deals(
        signed=len(rows),
        by_licensee_size=_by_size((size, 1) for _, size, _ in rows),
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


# ---------------------------------------------------------------- money


def _contracted(session: Session, pool_id: int, w: Window) -> Contracted:
    rows = session.exec(
        select(
            Organisation.size_class,
            Invoice.kind,
            func.count(col(Invoice.id)),
            func.sum(Invoice.total_minor),
        )
        .join(Organisation, col(Organisation.id) == Invoice.licensee_organisation_id)
        .where(
            Invoice.pool_id == pool_id,
            Invoice.status != InvoiceStatus.CANCELLED,
            col(Invoice.issued_on) >= w.start,
            col(Invoice.issued_on) < w.end,
        )
        .group_by(col(Organisation.size_class), col(Invoice.kind))
    ).all()
    by_kind: dict[str, int] = {}
    for _, kind, _, amount in rows:
        by_kind[kind] = by_kind.get(kind, 0) + int(amount)
    return Contracted(
        invoices=sum(int(n) for _, _, n, _ in rows),
        total_minor=sum(by_kind.values()),
        royalty_minor=by_kind.get(InvoiceKind.ROYALTY, 0),
        fixed_fee_minor=by_kind.get(InvoiceKind.FIXED_FEE, 0),
        by_licensee_size=_by_size((size, amount) for size, _, _, amount in rows),
    )


def _received(session: Session, pool_id: int, w: Window) -> Received:
    rows = session.exec(
        select(Organisation.size_class, func.sum(PaymentAllocation.amount_minor))
        .select_from(PaymentAllocation)
        .join(Invoice, col(Invoice.id) == PaymentAllocation.invoice_id)
        .join(Organisation, col(Organisation.id) == Invoice.licensee_organisation_id)
        .where(
            Invoice.pool_id == pool_id,
            col(PaymentAllocation.allocated_on) >= w.start,
            col(PaymentAllocation.allocated_on) < w.end,
        )
        .group_by(col(Organisation.size_class))
    ).all()
    return Received(
        total_minor=sum(int(amount) for _, amount in rows), by_licensee_size=_by_size(rows)
    )


def _approved_runs(pool_id: int, w: Window) -> tuple[Any, ...]:
    return (
        DistributionRun.pool_id == pool_id,
        DistributionRun.status == RunStatus.APPROVED,
        col(DistributionRun.period_start) >= w.start,
        col(DistributionRun.period_start) < w.end,
    )


def _to_kind(
    kind: OrganisationKind, n: int, gross: int, adjustments: int, withholding: int, net: int
) -> DistributedToKind:
    return DistributedToKind(
        contributor_kind=kind,
        contributors=n,
        gross_minor=gross,
        adjustments_minor=adjustments,
        withholding_minor=withholding,
        net_payable_minor=net,
    )


def _distributed(session: Session, pool_id: int, w: Window) -> Distributed:
    runs, received, fee = session.exec(
        select(
            func.count(col(DistributionRun.id)),
            func.coalesce(func.sum(DistributionRun.received_minor), 0),
            func.coalesce(func.sum(DistributionRun.admin_fee_minor), 0),
        ).where(*_approved_runs(pool_id, w))
    ).one()
    rows = session.execute(
        select_rows(
            col(Organisation.kind),
            func.count(func.distinct(RunContributor.contributor_organisation_id)),
            func.sum(RunContributor.gross_minor),
            func.sum(RunContributor.adjustments_minor),
            func.sum(RunContributor.withholding_minor),
            func.sum(RunContributor.net_payable_minor),
        )
        .select_from(RunContributor)
        .join(DistributionRun, col(DistributionRun.id) == RunContributor.run_id)
        .join(Organisation, col(Organisation.id) == RunContributor.contributor_organisation_id)
        .where(*_approved_runs(pool_id, w))
        .group_by(col(Organisation.kind))
    ).all()
    found = {kind: [int(x) for x in numbers] for kind, *numbers in rows}
    kinds = [_to_kind(kind, *found.get(kind, [0, 0, 0, 0, 0])) for kind in OrganisationKind]
    return Distributed(
        runs=int(runs),
        received_minor=int(received),
        admin_fee_minor=int(fee),
        gross_minor=sum(k.gross_minor for k in kinds),
        adjustments_minor=sum(k.adjustments_minor for k in kinds),
        withholding_minor=sum(k.withholding_minor for k in kinds),
        net_payable_minor=sum(k.net_payable_minor for k in kinds),
        by_contributor_kind=kinds,
    )
