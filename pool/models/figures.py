"""A pool's yearly performance figures (the Beijing programme, DOMAIN.md section 4).

Read schemas only: nothing is stored, `pool.services.figures` computes them from the
agreements, invoices, payment allocations and approved distribution runs on every request.
docs/figures.md says exactly what each figure counts. Money is in minor units of the pool's
currency; growth rates are `Decimal` percentages."""

from datetime import date
from decimal import Decimal
from typing import Literal

from sqlmodel import SQLModel

from pool.models.deal import DealFlag, DealKind
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


class BySupplier(SQLModel):
    """A count or an amount per kind of supplier (the patents' owner), as the programme counts
    them: universities and research institutes, enterprises (state-owned, private, other), and
    individuals."""

    university_or_institute: int = 0
    enterprise: int = 0
    individual: int = 0


class TransactionKind(SQLModel):
    """Deals of one kind outside the pool's licence signed in the year (docs/figures.md)."""

    kind: DealKind
    signed: int
    by_supplier: BySupplier
    by_counterparty_size: BySize
    contracted_minor: int  # price, fee, valuation or secured amount
    contracted_by_supplier: BySupplier
    received_minor: int  # received in the year, under deals of this kind signed in any year


class PledgeFinancing(SQLModel):
    """Pledges registered (taking effect) in the year: projects and the amounts they secure."""

    projects: int
    secured_minor: int


class Transactions(SQLModel):
    """Every way a patent moved in the year, as the programme counts them: the pool's own
    licences signed, and transfers, licences outside the pool and capital contributions.
    Pledges are financing, counted apart (`pledges`)."""

    deals: int
    contracted_minor: int  # the pool's contracted total plus the deals' contract amounts
    received_minor: int  # the pool's received total plus the money received under the deals
    kinds: list[TransactionKind]  # transfer, licence, capital contribution, pledge
    pledges: PledgeFinancing


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
    transactions: Transactions


Headline = Literal[
    "deals",
    "contracted",
    "received",
    "transactions",
    "transactions_contracted",
    "transactions_received",
    "pledge_amount",
    "pledge_projects",
]


class Growth(SQLModel):
    """One headline figure against the previous year. `percent` is rounded down to 4 places
    (so it reads at least the target exactly when the target is met). Without a positive
    previous figure both `percent` and `meets_target` are None: there is no base to grow from."""

    figure: Headline
    target_percent: Decimal
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
    growth: list[Growth]  # the pool's licences; every deal type; pledge financing
    review_flags: dict[str, int]  # flags by kind on the year's deals, evaluated today
    flagged_agreements: int
    flags: list[ReviewFlag]
    deal_flags: list[DealFlag] = []  # the year's deals beyond the pool's licences, flagged
