"""What the administrator's pages show, shaped for their templates (which only format).

The figures come from the API's services; here they are named (enum values to msgids),
summed where a page shows a total, and turned into chart geometry: bars in whole pixels from
exact fractions, so the SVG is drawn on the server with no script and no chart library.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from sqlmodel import Session

from pool.auth import Principal
from pool.errors import NotFound
from pool.models.figures import BySize, YearlyFigures
from pool.models.licensing import AgreementFilters
from pool.models.pool import Pool
from pool.services import pools
from pool.services.accounts import organisations
from pool.services.licensing import agreements
from pool.services.patents import patent_lists
from pool.web import charts, views
from pool.web.i18n import N_

SIZES = ("micro", "small", "medium", "large", "unknown")
SIZE_LABELS = {**views.SIZE_LABELS, "unknown": N_("Size not recorded")}
PATENT_STATUS_LABELS = {
    "submitted": N_("Submitted"),
    "under_evaluation": N_("Under evaluation"),
    "accepted": N_("Accepted"),
    "rejected": N_("Rejected"),
    "expired": N_("Expired"),
    "lapsed": N_("Lapsed"),
    "invalidated": N_("Invalidated"),
    "withdrawn": N_("Withdrawn"),
    "transferred": N_("Transferred"),
}
RUN_STATUS_LABELS = {"draft": N_("Draft"), "approved": N_("Approved")}
FLAG_LABELS = {
    "no_product": N_("No product reported"),
    "nil_reports": N_("Nil reports"),
    "zero_fee": N_("Terms charge nothing"),
    "nominal_fee": N_("Nominal fees"),
    "early_termination": N_("Early termination"),
    "transfer_undone": N_("Transfer undone soon after"),
    "pledge_released_at_once": N_("Pledge released at once"),
}
NO_GRADE = N_("No grade")


def chosen_pool(db: Session, pool_id: int | None) -> tuple[Pool | None, list[tuple[int, str]]]:
    """The pool a page is about (`?pool=`, else the first one) and every pool, to switch."""
    every = pools.listing(db, status=None, limit=500, offset=0).items
    choices = [(item.id, item.name) for item in every]
    if pool_id is None:
        return (pools.get(db, pool_id=every[0].id) if every else None), choices
    return pools.get(db, pool_id=pool_id), choices


def names(db: Session, principal: Principal, ids: set[int]) -> dict[int, str]:
    """Organisation names by id (staff read every organisation)."""
    found: dict[int, str] = {}
    for org_id in sorted(ids):
        try:
            found[org_id] = organisations.get(db, principal=principal, organisation_id=org_id).name
        except NotFound:
            found[org_id] = f"#{org_id}"
    return found


def pool_licensees(db: Session, staff: Principal, pool_id: int, now: datetime) -> dict[int, str]:
    """The pool's licensees (an agreement in any state), by name: whom money may come from
    (the payment and bank statement forms)."""
    deals = agreements.listing(
        db, principal=staff, filters=AgreementFilters(pool_id=pool_id), now=now, limit=500,
        offset=0,
    ).items  # fmt: skip
    named = names(db, staff, {d.licensee_organisation_id for d in deals})
    return dict(sorted(named.items(), key=lambda item: item[1]))


# ---------------------------------------------------------------- dashboard


@dataclass(frozen=True)
class Count:
    label: str  # a msgid or a code (country)
    count: int


@dataclass(frozen=True)
class InForce:
    total: int
    by_grade: list[Count]
    by_country: list[Count]


def in_force(db: Session, principal: Principal, pool_id: int) -> InForce:
    """Accepted patents (in the pool until they end) by grade and by country."""
    found = patent_lists.in_force_counts(db, principal=principal, pool_id=pool_id)
    return InForce(
        total=found.total,
        by_grade=[Count(grade or NO_GRADE, n) for grade, n in sorted(found.by_grade.items())],
        by_country=[Count(country, n) for country, n in sorted(found.by_country.items())],
    )


@dataclass(frozen=True)
class FigureRow:
    """One line of the yearly table: a msgid, the two years' values, growth (a fraction)."""

    label: str
    previous: int | None
    current: int | None
    money: bool = False
    indent: bool = False
    growth: Decimal | None = None
    meets_target: bool | None = None
    headline: bool = False  # a figure with a growth target (a verdict, or "no base year")


def _sizes(previous: BySize, current: BySize, money: bool) -> list[FigureRow]:
    return [
        FigureRow(SIZE_LABELS[s], getattr(previous, s), getattr(current, s), money, indent=True)
        for s in SIZES
    ]


def _headline(figures: YearlyFigures, figure: str, label: str, money: bool) -> FigureRow:
    growth = next(g for g in figures.growth if g.figure == figure)
    return FigureRow(
        label,
        growth.previous,
        growth.current,
        money,
        growth=None if growth.percent is None else growth.percent.scaleb(-2),
        meets_target=growth.meets_target,
        headline=True,
    )


def figure_rows(f: YearlyFigures) -> list[FigureRow]:
    """The Beijing-style yearly figures: deals, money invoiced and received by licensee size,
    and what approved runs distributed by contributor type."""
    p, c = f.previous, f.current
    rows = [
        _headline(f, "deals", N_("Deals signed"), money=False),
        *_sizes(p.deals.by_licensee_size, c.deals.by_licensee_size, money=False),
        FigureRow(N_("Through an open-licence offer"), p.deals.via_open_offer,
                  c.deals.via_open_offer, indent=True),
        FigureRow(N_("Use first, pay later"), p.deals.use_first_pay_later,
                  c.deals.use_first_pay_later, indent=True),
        FigureRow(N_("Active at year end"), p.deals.active_at_year_end,
                  c.deals.active_at_year_end, indent=True),
        _headline(f, "contracted", N_("Invoiced (not cancelled)"), money=True),
        *_sizes(p.contracted.by_licensee_size, c.contracted.by_licensee_size, money=True),
        _headline(f, "received", N_("Received"), money=True),
        *_sizes(p.received.by_licensee_size, c.received.by_licensee_size, money=True),
        FigureRow(N_("Distributed (approved runs)"), p.distributed.received_minor,
                  c.distributed.received_minor, money=True),
        FigureRow(N_("Administrator fee"), p.distributed.admin_fee_minor,
                  c.distributed.admin_fee_minor, money=True, indent=True),
        FigureRow(N_("Withholding tax"), p.distributed.withholding_minor,
                  c.distributed.withholding_minor, money=True, indent=True),
        FigureRow(N_("Net payable to contributors"), p.distributed.net_payable_minor,
                  c.distributed.net_payable_minor, money=True, indent=True),
    ]  # fmt: skip
    for old, new in zip(p.distributed.by_contributor_kind, c.distributed.by_contributor_kind,
                        strict=True):  # fmt: skip
        if old.contributors or new.contributors:
            label = views.KIND_LABELS.get(new.contributor_kind, new.contributor_kind)
            rows.append(
                FigureRow(label, old.net_payable_minor, new.net_payable_minor, True, indent=True)
            )
    return rows + _transaction_rows(f)


def _transaction_rows(f: YearlyFigures) -> list[FigureRow]:
    """Every deal type as the programme counts it (the pool's licences and the deals of its
    patents beyond them), then pledge financing against its own targets (10 % and 5 %)."""
    p, c = f.previous.transactions, f.current.transactions
    rows = [_headline(f, "transactions", N_("All deal types"), money=False)]
    for old, new in zip(p.kinds, c.kinds, strict=True):
        if new.kind != "pledge":
            label = views.DEAL_KIND_LABELS[new.kind]
            rows.append(FigureRow(label, old.signed, new.signed, indent=True))
    return [
        *rows,
        _headline(f, "transactions_contracted", N_("All deal types: contracted"), money=True),
        _headline(f, "transactions_received", N_("All deal types: received"), money=True),
        _headline(f, "pledge_amount", N_("Pledge financing (target 10 %)"), money=True),
        _headline(f, "pledge_projects", N_("Pledge projects (target 5 %)"), money=False),
    ]


# ---------------------------------------------------------------- a run's split, as a chart

CHART_WIDTH = 640
LABEL_WIDTH = 180  # room for the names left of the bars
AMOUNT_WIDTH = 120  # room for the amounts right of the bars
BAR_HEIGHT = 22
LABEL_PX = 14  # .split-label's font size
BAR_GAP = 10
SHARE_PLACES = Decimal("0.0001")  # a share is shown to a hundredth of a percent


@dataclass(frozen=True)
class Bar:
    label: str
    short: str  # the label cut to fit left of the bar (the whole one is its tooltip)
    amount_minor: int
    share: Decimal  # of the chart's total, a fraction for `local_percent` (rounded, shown)
    y: int
    width: int
    text_y: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    total_minor: int
    width: int
    height: int
    bar_x: int
    bar_height: int
    amount_x: int


def chart(parts: list[tuple[str, int]]) -> Chart:
    """Horizontal bars, largest first; a negative part (a correction) draws no bar."""
    parts = sorted(parts, key=lambda part: (-part[1], part[0]))
    total = sum(amount for _, amount in parts)
    widest = max((amount for _, amount in parts), default=0)
    room = CHART_WIDTH - LABEL_WIDTH - AMOUNT_WIDTH
    bars = []
    for index, (label, amount) in enumerate(parts):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        width = int(Fraction(max(amount, 0) * room, widest)) if widest > 0 else 0
        share = Fraction(amount, total) if total else Fraction(0)
        bars.append(
            Bar(
                label=label,
                short=charts.fit(label, LABEL_WIDTH - 12, LABEL_PX),
                amount_minor=amount,
                share=(Decimal(share.numerator) / Decimal(share.denominator)).quantize(
                    SHARE_PLACES, ROUND_HALF_EVEN
                ),
                y=y,
                width=max(width, 1) if amount > 0 else 0,
                text_y=y + BAR_HEIGHT // 2,
            )
        )
    return Chart(
        bars=bars,
        total_minor=total,
        width=CHART_WIDTH,
        height=BAR_GAP + len(bars) * (BAR_HEIGHT + BAR_GAP),
        bar_x=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        amount_x=LABEL_WIDTH + room + 8,
    )
