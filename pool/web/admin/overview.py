"""What the pool dashboard shows for a year: the year asked for (`?year=`, else the latest year
with data, never simply the calendar's), the years to pick from, the key figures, and the link
of every box and figure to the filtered list behind it.

The lists take these query parameters (each list page reads its own): agreements `state`,
`pool`, `overdue_filing=yes`, `year`; patents `status`, `pool`; invoices `status`, `pool`,
`year`; payments and runs `pool`."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlmodel import Session

from pool.auth import Principal
from pool.errors import InvalidInput
from pool.models.distribution import RunStatus
from pool.models.patent import PatentFilters, PatentStatus
from pool.models.pool import Pool
from pool.rendering import Phrase
from pool.services import figures, patents
from pool.services.billing import position
from pool.services.distribution import runs as distribution_runs
from pool.services.licensing import agreements
from pool.web import views
from pool.web.admin import views as av
from pool.web.i18n import N_
from pool.web.pages import NO_ERRORS, FormErrors

NOT_A_YEAR = N_("enter a year from %(first)s to %(last)s")
WAITING = (PatentStatus.SUBMITTED, PatentStatus.UNDER_EVALUATION)


def href(path: str, **query: object) -> str:
    """A list's address with its filters, in the order given (empty ones left out)."""
    kept = {name: str(value) for name, value in query.items() if value not in (None, "")}
    return f"{path}?{urlencode(kept)}" if kept else path


@dataclass(frozen=True)
class Links:
    """Where each box and each headline figure of the dashboard leads."""

    active: str
    in_force: str
    invoiced: str
    received: str
    overdue: str
    overdue_filings: str
    waiting: str
    runs: str
    figures: dict[str, str]  # a yearly figure's label (msgid) -> its list

    @classmethod
    def of(cls, pool_id: int, year: int) -> "Links":
        invoiced = href("/admin/invoices", pool=pool_id, year=year)
        # the payments received in the year (the figure counts what they settled then)
        received = href(
            "/admin/payments/received", pool=pool_id, **{"from": f"{year}-01-01"},
            to=f"{year}-12-31",
        )  # fmt: skip
        runs = href("/admin/runs", pool=pool_id, status="draft")
        return cls(
            active=href("/admin/agreements", state="active", pool=pool_id),
            in_force=href("/admin/patents", status="accepted", pool=pool_id),
            invoiced=invoiced,
            received=received,
            overdue=href("/admin/invoices", status="overdue", pool=pool_id, year=year),
            overdue_filings=href("/admin/agreements", pool=pool_id, overdue_filing="yes"),
            waiting=href("/admin/patents", pool=pool_id),
            runs=runs,
            figures={
                N_("Deals signed"): href("/admin/agreements", pool=pool_id, year=year),
                N_("Invoiced (not cancelled)"): invoiced,
                N_("Received"): received,
                N_("Distributed (approved runs)"): href(
                    "/admin/runs", pool=pool_id, status="approved", year=year
                ),
                **deal_links(pool_id, year),
            },
        )


def deal_links(pool_id: int, year: int) -> dict[str, str]:
    """The deal figures lead to the pool's deal register for the year, by kind where a figure
    has one; the all-types figures to the whole year's register, which links on to the pool
    licences they also count."""
    deals = href("/admin/deals", pool=pool_id, year=year)
    pledges = href("/admin/deals", pool=pool_id, kind="pledge", year=year)
    return {
        N_("All deal types"): deals,
        N_("All deal types: contracted"): deals,
        N_("All deal types: received"): deals,
        N_("Pledge financing (target 10 %)"): pledges,
        N_("Pledge projects (target 5 %)"): pledges,
        **{
            label: href("/admin/deals", pool=pool_id, kind=kind, year=year)
            for kind, label in views.DEAL_KIND_LABELS.items()
            if kind != "pledge"
        },
    }


def chosen_year(text: str | None, years: figures.Years, now: datetime) -> int:
    """The year asked for, else the latest with data. Not a year from `FIRST_YEAR` to this
    year: refused, naming the field (`year`)."""
    value = (text or "").strip()
    if not value:
        return years.latest
    last = min(figures.LAST_YEAR, now.date().year)
    if value.isascii() and value.isdigit() and figures.FIRST_YEAR <= int(value) <= last:
        return int(value)
    raise InvalidInput.field("year", Phrase(NOT_A_YEAR, first=figures.FIRST_YEAR, last=last))


def dashboard(
    db: Session, staff: Principal, now: datetime, pool: Pool, year_text: str | None
) -> tuple[dict[str, Any], FormErrors]:
    """The dashboard's context for `pool`, and what was wrong with `?year=` (the latest year
    with data is shown instead)."""
    pool_id = pool.id or 0
    years = figures.years_with_data(db, principal=staff, pool_id=pool_id, now=now)
    errors = NO_ERRORS
    try:
        year = chosen_year(year_text, years, now)
    except InvalidInput as error:
        year, errors = years.latest, FormErrors.of(error)
    yearly = figures.yearly(db, principal=staff, pool_id=pool_id, year=year, now=now)
    overdue = position.overdue_for(db, principal=staff, pool_id=pool_id, as_of=now.date())
    waiting = [
        patents.listing(
            db, principal=staff, pool_id=pool_id, filters=PatentFilters(status=status),
            limit=1, offset=0,
        ).total
        for status in WAITING
    ]  # fmt: skip
    drafts = distribution_runs.listing(
        db, principal=staff, pool_id=pool_id, status=RunStatus.DRAFT, limit=1, offset=0
    )
    filings = agreements.overdue_filings(db, principal=staff, now=now, limit=1, offset=0)
    return {
        "figures": yearly,
        "year": year,
        "years": sorted({*years.years, year}, reverse=True),
        "year_text": year_text or "",
        "links": Links.of(pool_id, year),
        "rows": av.figure_rows(yearly),
        "target": yearly.target_growth_percent.scaleb(-2),
        "in_force": av.in_force(db, staff, pool_id),
        "overdue_count": len(overdue),
        "overdue_minor": sum(item.outstanding_minor for item in overdue),
        "waiting": sum(waiting),
        "drafts": drafts.total,
        "overdue_filings": filings.total,
    }, errors
