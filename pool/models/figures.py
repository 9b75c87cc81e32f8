"""A pool's yearly performance figures (the Beijing programme, DOMAIN.md section 4).

Read schemas only: nothing is stored, `pool.services.figures` computes them from the
agreements, invoices, payment allocations and approved distribution runs on every request.
docs/figures.md says exactly what each figure counts. Money is in minor units of the pool's
currency; growth rates are `Decimal` percentages."""

from datetime import date
from decimal import Decimal
from typing import Literal

from sqlmodel import SQLModel

from pool.models.licensing import ReviewFlag
from pool.models.organisation import OrganisationKind


class BySize(SQLModel):
    """A count or an amount per licensee size class; `unknown`: no size class recorded."""

    micro: int = 0
    small: int = 0
    medium: int = 0
    large: int = 0
    unknown: int = 0


class Deals(SQLModel):
    """Licence agreements (not drafts) signed in the year."""

    signed: int
    by_licensee_size: BySize
    via_open_offer: int  # accepted from a published open licence
    use_first_pay_later: int  # payment terms with a deferral: grace, threshold or instalments
    active_at_year_end: int  # active on `as_of` (any signing year), term covering that day


class Contracted(SQLModel):
    """Invoices issued in the year that are not cancelled."""

    invoices: int
    total_minor: int
    royalty_minor: int
    fixed_fee_minor: int
    by_licensee_size: BySize


class Received(SQLModel):
    """Cash applied to the pool's invoices in the year, net of releases from cancellations."""

    total_minor: int
    by_licensee_size: BySize


class DistributedToKind(SQLModel):
    """What the year's approved runs gave the contributors of one kind."""

    contributor_kind: OrganisationKind
    contributors: int
    gross_minor: int
    adjustments_minor: int
    withholding_minor: int
    net_payable_minor: int


class Distributed(SQLModel):
    """Approved distribution runs whose statement period starts in the year."""

    runs: int
    received_minor: int  # the money the runs distributed, before the administrator fee
    admin_fee_minor: int
    gross_minor: int
    adjustments_minor: int
    withholding_minor: int
    net_payable_minor: int
    by_contributor_kind: list[DistributedToKind]  # every kind, in `OrganisationKind` order


class YearFigures(SQLModel):
    year: int
    start: date
    end: date  # exclusive: the next 1 January, or the day after `as_of` for a year not over
    as_of: date  # the last day counted
    complete: bool  # the whole year is counted
    deals: Deals
    contracted: Contracted
    received: Received
    distributed: Distributed


Headline = Literal["deals", "contracted", "received"]


class Growth(SQLModel):
    """One headline figure against the previous year. `percent` is rounded down to 4 places
    (so it reads at least the target exactly when the target is met). Without a positive
    previous figure both `percent` and `meets_target` are None: there is no base to grow from."""

    figure: Headline
    previous: int
    current: int
    percent: Decimal | None
    meets_target: bool | None


class YearlyFigures(SQLModel):
    pool_id: int
    pool_name: str
    currency: str
    year: int
    target_growth_percent: Decimal
    current: YearFigures
    previous: YearFigures
    growth: list[Growth]  # deals signed, contracted total, received total
    review_flags: dict[str, int]  # flags by kind on the year's deals, evaluated today
    flagged_agreements: int
    flags: list[ReviewFlag]
