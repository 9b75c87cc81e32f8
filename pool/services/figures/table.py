"""Yearly figures as a plain-text table (the `patentpool demo` summary and the CLI)."""

from pool.models.figures import BySize, Growth, YearFigures, YearlyFigures

SIZES = ("micro", "small", "medium", "large", "unknown")
Row = tuple[str, int | None, int | None, str, str]


def _sizes(by_previous: BySize, by_current: BySize) -> list[Row]:
    return [
        (f"  licensee {size}", getattr(by_previous, size), getattr(by_current, size), "", "")
        for size in SIZES
    ]


def _headline(label: str, g: Growth) -> Row:
    percent = "n/a" if g.percent is None else f"{g.percent}"
    verdict = {True: "met", False: "not met", None: "no base year"}[g.meets_target]
    return (label, g.previous, g.current, percent, f"{verdict} ({g.target_percent}%)")


def _money_rows(f: YearlyFigures) -> list[Row]:
    p, c = f.previous, f.current
    growth = {g.figure: g for g in f.growth}
    return [
        _headline("contracted (invoiced, not cancelled)", growth["contracted"]),
        ("  royalties", p.contracted.royalty_minor, c.contracted.royalty_minor, "", ""),
        ("  fixed fees", p.contracted.fixed_fee_minor, c.contracted.fixed_fee_minor, "", ""),
        ("  invoices (count)", p.contracted.invoices, c.contracted.invoices, "", ""),
        *_sizes(p.contracted.by_licensee_size, c.contracted.by_licensee_size),
        _headline("received (cash applied to invoices)", growth["received"]),
        *_sizes(p.received.by_licensee_size, c.received.by_licensee_size),
    ]


def _distributed_rows(p: YearFigures, c: YearFigures) -> list[Row]:
    a, b = p.distributed, c.distributed
    rows: list[Row] = [
        ("distributed (approved runs)", None, None, "", ""),
        ("  runs (count)", a.runs, b.runs, "", ""),
        ("  money distributed", a.received_minor, b.received_minor, "", ""),
        ("  administrator fee", a.admin_fee_minor, b.admin_fee_minor, "", ""),
        ("  contributors gross", a.gross_minor, b.gross_minor, "", ""),
        ("  contributors adjustments", a.adjustments_minor, b.adjustments_minor, "", ""),
        ("  contributors withholding", a.withholding_minor, b.withholding_minor, "", ""),
        ("  contributors net payable", a.net_payable_minor, b.net_payable_minor, "", ""),
    ]
    for old, new in zip(a.by_contributor_kind, b.by_contributor_kind, strict=True):
        if old.contributors or new.contributors:
            kind = new.contributor_kind.value.replace("_", " ")
            rows += [
                (f"  {kind} gross", old.gross_minor, new.gross_minor, "", ""),
                (f"  {kind} withholding", old.withholding_minor, new.withholding_minor, "", ""),
                (f"  {kind} net payable", old.net_payable_minor, new.net_payable_minor, "", ""),
            ]
    return rows


SUPPLIERS = ("university_or_institute", "enterprise", "individual")


def _transaction_rows(f: YearlyFigures) -> list[Row]:
    """Every deal type as the programme counts it, then pledge financing."""
    p, c = f.previous.transactions, f.current.transactions
    growth = {g.figure: g for g in f.growth}
    rows: list[Row] = [
        _headline("all deal types (licences, transfers, ...)", growth["transactions"]),
        _headline("  contracted", growth["transactions_contracted"]),
        _headline("  received", growth["transactions_received"]),
    ]
    for old, new in zip(p.kinds, c.kinds, strict=True):
        kind = new.kind.value.replace("_", " ")
        rows += [
            (f"  {kind}s signed", old.signed, new.signed, "", ""),
            *(
                (f"    by {who.replace('_', ' ')}", getattr(old.by_supplier, who),
                 getattr(new.by_supplier, who), "", "")
                for who in SUPPLIERS
            ),
            (f"    {kind} contracted", old.contracted_minor, new.contracted_minor, "", ""),
            (f"    {kind} received", old.received_minor, new.received_minor, "", ""),
        ]  # fmt: skip
    return [
        *rows,
        _headline("pledge financing amount", growth["pledge_amount"]),
        _headline("pledge financing projects", growth["pledge_projects"]),
    ]


def _rows(f: YearlyFigures) -> list[Row]:
    p, c = f.previous, f.current
    return [
        _headline("deals signed", next(g for g in f.growth if g.figure == "deals")),
        *_sizes(p.deals.by_licensee_size, c.deals.by_licensee_size),
        ("  through an open-licence offer", p.deals.via_open_offer, c.deals.via_open_offer, "", ""),
        ("  use first, pay later", *_deferred(p, c), "", ""),
        ("  active at year end (any year signed)", *_active(p, c), "", ""),
        *_money_rows(f),
        *_distributed_rows(p, c),
        *_transaction_rows(f),
    ]


def _deferred(p: YearFigures, c: YearFigures) -> tuple[int, int]:
    return p.deals.use_first_pay_later, c.deals.use_first_pay_later


def _active(p: YearFigures, c: YearFigures) -> tuple[int, int]:
    return p.deals.active_at_year_end, c.deals.active_at_year_end


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


def render_table(figures: YearlyFigures) -> str:
    """The figures of the year against the year before, one line per figure; money in minor
    units; review flags on the year's deals at the end."""
    f, c = figures, figures.current
    counted = "complete" if c.complete else "year to date"
    head = f"{'figure':<40}{f.previous.year:>14}{f.year:>14}{'growth %':>12}  target"
    lines = [
        f"{f.pool_name} (pool {f.pool_id}): figures for {f.year} against {f.year - 1}, "
        f"money in {f.currency} minor units",
        f"{f.year} counted to {c.as_of} ({counted}); growth target "
        f"{f.target_growth_percent} % a year",
        "",
        head,
        *(
            f"{label:<40}{_cell(old):>14}{_cell(new):>14}{percent:>12}  {target}".rstrip()
            for label, old, new, percent, target in _rows(f)
        ),
        "",
        f"review flags on {f.year}'s deals: {f.flagged_agreements} agreement(s) flagged",
        *(f"  {kind:<38}{count:>14}" for kind, count in f.review_flags.items()),
    ]
    return "\n".join(lines) + "\n"
