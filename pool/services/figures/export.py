"""The yearly figures as the CSV table a pool operator files with the programme: one row per
figure and breakdown, the year before and the year, the unit, and for the headline figures the
growth, its target and whether it was met. Money is in major units of the pool's currency,
written exactly (a plain decimal, the currency's own number of places, no separators), so a
spreadsheet sums it to the cent; UTF-8 with a byte-order mark, which Excel needs to read
Chinese names."""

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from allocation import minor_unit_exponent
from pool.models.figures import BySize, BySupplier, Headline, YearlyFigures
from pool.services.figures.table import SIZES, SUPPLIERS

HEADER = (
    "section",
    "figure",
    "breakdown",
    "previous_year",
    "year",
    "unit",
    "growth_percent",
    "target_percent",
    "target_met",
)
Cells = tuple[str, str, str, str, str, str, str, str, str]


class _Rows:
    """Rows of one export; `money` cells are written in major units."""

    def __init__(self, figures: YearlyFigures) -> None:
        self.f = figures
        self.places = minor_unit_exponent(figures.currency)
        self.growth = {g.figure: g for g in figures.growth}

    def major(self, minor: int) -> str:
        return f"{Decimal(minor).scaleb(-self.places):f}"

    def row(
        self,
        section: str,
        figure: str,
        breakdown: str,
        old: int,
        new: int,
        *,
        money: bool,
        growth: Headline | None = None,
    ) -> Cells:
        unit = self.f.currency if money else "count"
        cells = (self.major(old), self.major(new)) if money else (str(old), str(new))
        return (section, figure, breakdown, *cells, unit, *self._growth(growth))

    def _growth(self, figure: Headline | None) -> tuple[str, str, str]:
        if figure is None:
            return "", "", ""
        g = self.growth[figure]
        met = {True: "yes", False: "no", None: "no base year"}[g.meets_target]
        return ("" if g.percent is None else str(g.percent), str(g.target_percent), met)

    def sizes(
        self, section: str, figure: str, old: BySize, new: BySize, *, money: bool
    ) -> Iterator[Cells]:
        for size in SIZES:
            yield self.row(
                section,
                figure,
                f"licensee {size}",
                getattr(old, size),
                getattr(new, size),
                money=money,
            )

    def suppliers(
        self, section: str, figure: str, old: BySupplier, new: BySupplier, *, money: bool
    ) -> Iterator[Cells]:
        for who in SUPPLIERS:
            yield self.row(
                section,
                figure,
                who.replace("_", " "),
                getattr(old, who),
                getattr(new, who),
                money=money,
            )

    def all(self) -> Iterator[Cells]:
        p, c = self.f.previous, self.f.current
        lic = "pool licences"
        yield self.row(
            lic, "signed", "", p.deals.signed, c.deals.signed, money=False, growth="deals"
        )
        yield from self.sizes(
            lic, "signed", p.deals.by_licensee_size, c.deals.by_licensee_size, money=False
        )
        yield self.row(
            lic,
            "contracted",
            "",
            p.contracted.total_minor,
            c.contracted.total_minor,
            money=True,
            growth="contracted",
        )
        yield self.row(
            lic,
            "received",
            "",
            p.received.total_minor,
            c.received.total_minor,
            money=True,
            growth="received",
        )
        for old, new in zip(p.transactions.kinds, c.transactions.kinds, strict=True):
            kind = f"{new.kind.value.replace('_', ' ')}s"
            yield self.row(kind, "signed", "", old.signed, new.signed, money=False)
            yield from self.suppliers(kind, "signed", old.by_supplier, new.by_supplier, money=False)
            yield from self.sizes(
                kind, "signed", old.by_counterparty_size, new.by_counterparty_size, money=False
            )
            yield self.row(
                kind, "contracted", "", old.contracted_minor, new.contracted_minor, money=True
            )
            yield from self.suppliers(
                kind,
                "contracted",
                old.contracted_by_supplier,
                new.contracted_by_supplier,
                money=True,
            )
            yield self.row(kind, "received", "", old.received_minor, new.received_minor, money=True)
        a, b = p.transactions, c.transactions
        every = "all deal types"
        yield self.row(every, "deals", "", a.deals, b.deals, money=False, growth="transactions")
        yield self.row(
            every,
            "contracted",
            "",
            a.contracted_minor,
            b.contracted_minor,
            money=True,
            growth="transactions_contracted",
        )
        yield self.row(
            every,
            "received",
            "",
            a.received_minor,
            b.received_minor,
            money=True,
            growth="transactions_received",
        )
        pledge = "pledge financing"
        yield self.row(
            pledge,
            "amount",
            "",
            a.pledges.secured_minor,
            b.pledges.secured_minor,
            money=True,
            growth="pledge_amount",
        )
        yield self.row(
            pledge,
            "projects",
            "",
            a.pledges.projects,
            b.pledges.projects,
            money=False,
            growth="pledge_projects",
        )


def render_csv(figures: YearlyFigures) -> bytes:
    """The figures of `figures.year` against the year before, as CSV bytes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            f"{figures.pool_name} (pool {figures.pool_id})",
            f"year {figures.year}",
            f"counted to {figures.current.as_of}",
        ]
    )
    writer.writerow([*HEADER[:3], str(figures.previous.year), str(figures.year), *HEADER[5:]])
    writer.writerows(_Rows(figures).all())
    return "\ufeff".encode() + out.getvalue().encode()
