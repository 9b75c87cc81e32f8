"""Each priced invoice line carries the facts its explanation is made of, as data: the report
line's units and net sales, the unit price that picked a band, each discount that applied and
how they stack, and the caps that cut it (the pool stores them to write the line in words)."""

from contracts_testkit import charge, make_line, make_report, make_terms

from contracts import AppliedDiscount, AppliedDiscounts, LicenseeProfile, LineBasis, Stacking
from contracts.lines import BindingCap


def test_a_percentage_line_keeps_the_report_lines_units_and_net_sales() -> None:
    terms = make_terms(
        categories=[{"category": "PC", "basis": "percent_of_net_sales", "percent": "1.5"}],
        discounts={"order": ["sme"], "sme": {"micro": "0.5"}},
    )
    line = make_line("PC", 2272, net_sales_minor=96460032, upstream_paid_units=272)
    result = charge(terms, make_report([line]), profile=LicenseeProfile(size_class="micro"))
    upstream, charged = result.lines
    assert (upstream.basis, upstream.usage, upstream.discounts, upstream.caps) == (
        LineBasis.UPSTREAM_PAID,
        None,
        None,
        (),
    )
    assert charged.usage is not None
    assert (charged.units, charged.usage.units, charged.usage.net_sales_minor) == (
        2000,
        2272,
        96460032,
    )
    assert charged.discounts == AppliedDiscounts(
        items=(AppliedDiscount(kind="sme", detail="micro", multiplier="0.5"),),
        stacking=Stacking.COMPOUND,
    )
    assert charged.caps == ()
    assert "96460032 x 2000/2272 units; sme micro x0.5 (compound x0.5)" in charged.explanation


def test_a_band_line_keeps_its_unit_price_and_the_caps_that_cut_it() -> None:
    terms = make_terms(
        categories=[
            {
                "category": "TV",
                "bands": [
                    {"lower_minor": 0, "upper_minor": 10000, "rate": "0.20"},
                    {"lower_minor": 10000, "rate": "1.00"},
                ],
                "annual_cap_minor": 500,
            }
        ],
        annual_cap_minor=400,
        discounts={
            "order": ["region"],
            "stacking": "additive",
            "regions": [{"country": "US", "multiplier": "0.9"}],
        },
    )
    result = charge(terms, make_report([make_line("TV", 1000, unit_price_minor=12000)]))
    (charged,) = result.lines
    assert charged.usage is not None
    assert charged.discounts is not None
    assert (charged.band, charged.usage.unit_price_minor) == (1, 12000)
    assert charged.discounts.stacking == "additive"
    assert charged.caps == (BindingCap(), BindingCap(category="TV"))
    assert [cap.name for cap in charged.caps] == ["annual cap", "TV annual cap"]
    assert (charged.amount_before_cap_minor, charged.amount_minor) == (90000, 400)
    assert "annual cap and TV annual cap reached: reduced by 89600" in charged.explanation


def test_tiers_split_one_report_line_and_share_its_facts() -> None:
    terms = make_terms(
        categories=[
            {
                "category": "TV",
                "tiers": [{"from_units": 0, "rate": "1.00"}, {"from_units": 10, "rate": "0.50"}],
            }
        ]
    )
    lines = charge(terms, make_report([make_line("TV", 15, unit_price_minor=999)])).lines
    assert [(line.tier, line.units) for line in lines] == [(0, 10), (1, 5)]
    assert lines[0].usage is lines[1].usage  # the report line, shared, not copied
    assert lines[0].discounts is lines[1].discounts
