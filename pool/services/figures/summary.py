"""Yearly performance figures of a pool, as the Beijing programme counts them (DOMAIN.md
section 4; docs/figures.md defines every figure exactly).

Read-only and computed from the data on every call, for the year `[1 January, 1 January)`
cut at today for a year not over yet, and for the year before it, with growth rates against
the 3 % a year target. Money is summed in integer minor units of the pool's currency; growth
is computed in integers and given as a `Decimal`. Review flags come from `review_flags` (the
same flags administrators see), restricted to the year's deals, and from `deals.flags` for
the year's deals beyond the pool's licences (transfers undone, pledges released at once).

The figures are counted in `deals` (agreements signed and active), `money` (contracted,
received, distributed) and `transactions` (every deal type, pledge financing) over a
`window.Window`; `growth_rate` compares the two years."""

from datetime import datetime
from decimal import Decimal

from sqlmodel import Session

from pool.auth import Principal
from pool.errors import InvalidInput
from pool.models.figures import Growth, YearFigures, YearlyFigures
from pool.models.licensing import ReviewFlag
from pool.rendering import Phrase
from pool.services import pools
from pool.services.deals import flags as deal_review
from pool.services.figures import deals as figures_deals
from pool.services.figures import money as figures_money
from pool.services.figures import transactions as figures_transactions
from pool.services.figures.deals import defers as defers
from pool.services.figures.growth_rate import PERCENT_PLACES as PERCENT_PLACES
from pool.services.figures.growth_rate import (
    PLEDGE_AMOUNT_TARGET_PERCENT,
    PLEDGE_PROJECTS_TARGET_PERCENT,
)
from pool.services.figures.growth_rate import TARGET_GROWTH_PERCENT as TARGET_GROWTH_PERCENT
from pool.services.figures.growth_rate import growth as growth
from pool.services.figures.window import Window as Window
from pool.services.licensing import review_flags

FIRST_YEAR, LAST_YEAR = 2000, 2100


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
        raise InvalidInput.field(
            "year",
            Phrase(
                "must be from %(first_year)s to %(year)s", first_year=FIRST_YEAR, year=today.year
            ),
        )
    window = Window.of(year, today)
    current = _year(session, pool_id, window)
    previous = _year(session, pool_id, Window.of(year - 1, today))
    flags = _flags_of_deals(session, principal, pool_id, window, thresholds, now)
    deal_flags = deal_review.flags(
        session,
        pool_id=pool_id,
        deal_ids=figures_transactions.signed_ids(session, pool_id, window),
        t=deal_review.DealThresholds(),
    )
    by_kind: dict[str, int] = {}
    for kind in [flag.kind for flag in flags] + [flag.kind for flag in deal_flags]:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    return YearlyFigures(
        pool_id=pool_id,
        pool_name=pool.name,
        currency=pool.currency,
        year=year,
        target_growth_percent=target_percent,
        current=current,
        previous=previous,
        growth=_growth(previous, current, target_percent),
        review_flags=dict(sorted(by_kind.items())),
        flagged_agreements=len({flag.agreement_id for flag in flags}),
        flags=flags,
        deal_flags=deal_flags,
    )


def _flags_of_deals(
    session: Session,
    principal: Principal,
    pool_id: int,
    window: Window,
    thresholds: review_flags.Thresholds | None,
    now: datetime,
) -> list[ReviewFlag]:
    """The review flags (as administrators see them now) of the deals signed in `window`."""
    deals = set(figures_deals.signed(session, pool_id, window))
    found = review_flags.flags(
        session,
        principal=principal,
        pool_id=pool_id,
        thresholds=thresholds or review_flags.Thresholds(),
        now=now,
    )
    return [flag for flag in found if flag.agreement_id in deals]


def _totals(previous: YearFigures, current: YearFigures, name: str) -> tuple[int, int]:
    return getattr(previous, name).total_minor, getattr(current, name).total_minor


def _growth(previous: YearFigures, current: YearFigures, target: Decimal) -> list[Growth]:
    """The pool's licences, every deal type together, and pledge financing, each against its
    target (pledges: 10 % a year in amount, 5 % in projects)."""
    p, c = previous.transactions, current.transactions
    return [
        growth("deals", previous.deals.signed, current.deals.signed, target),
        growth("contracted", *_totals(previous, current, "contracted"), target),
        growth("received", *_totals(previous, current, "received"), target),
        growth("transactions", p.deals, c.deals, target),
        growth("transactions_contracted", p.contracted_minor, c.contracted_minor, target),
        growth("transactions_received", p.received_minor, c.received_minor, target),
        growth(
            "pledge_amount",
            p.pledges.secured_minor,
            c.pledges.secured_minor,
            PLEDGE_AMOUNT_TARGET_PERCENT,
        ),
        growth(
            "pledge_projects",
            p.pledges.projects,
            c.pledges.projects,
            PLEDGE_PROJECTS_TARGET_PERCENT,
        ),
    ]


def _year(session: Session, pool_id: int, w: Window) -> YearFigures:
    licences = figures_deals.deals(session, pool_id, w)
    contracted = figures_money.contracted(session, pool_id, w)
    received = figures_money.received(session, pool_id, w)
    return YearFigures(
        year=w.year,
        start=w.start,
        end=w.end,
        as_of=w.as_of,
        complete=w.complete,
        deals=licences,
        contracted=contracted,
        received=received,
        distributed=figures_money.distributed(session, pool_id, w),
        transactions=figures_transactions.transactions(
            session, pool_id, w, licences=licences, contracted=contracted, received=received
        ),
    )
