"""How long one contributor statement takes to render: HTML, CSV and PDF.

Run: .venv/bin/python -P benchmarks/statement_render.py [--runs 20]
A Chinese statement with 40 detail lines (30 money lines: 10 countries x 3 usage periods,
6 adjustments, 4 memo lines) and 10 basis countries. The first rendering of each format is
reported apart (the PDF's includes importing WeasyPrint and loading fonts; the HTML was
rendered once before, as the PDF's source); the table gives the mean, min and max of the next
`--runs` renderings in milliseconds, and the size of the output.
"""

import argparse
import logging
import os
import platform
import time
from collections.abc import Callable
from datetime import date

from pool.services.statements import documents as docs
from pool.services.statements.view import (
    AdjustmentLine,
    CountryBasis,
    MemoLine,
    MoneyLine,
    StatementView,
)

COUNTRIES = ("CN", "US", "DE", "JP", "KR", "IN", "FR", "GB", "BR", "VN")
USAGE = (
    (date(2024, 10, 1), date(2025, 1, 1)),
    (date(2025, 1, 1), date(2025, 4, 1)),
    (date(2025, 4, 1), date(2025, 7, 1)),
)


def statement() -> StatementView:
    lines = tuple(
        MoneyLine(start, end, country, 1_000_000 * (i + 1), 12_345 * (i + 1) + 67)
        for i, ((start, end), country) in enumerate(
            (usage, country) for usage in USAGE for country in COUNTRIES
        )
    )
    adjustments = tuple(
        AdjustmentLine(*USAGE[0], country, *USAGE[0], amount_minor=-(i + 1) * 1_001)
        for i, country in enumerate(COUNTRIES[:6])
    )
    memo = tuple(
        MemoLine(start, end, 9_000_000, 5_000_000, 1_500_000, 2_500_000)
        for start, end in (*USAGE, (date(2025, 7, 1), date(2025, 10, 1)))
    )
    gross = sum(line.amount_minor for line in lines)
    adjusted = sum(line.amount_minor for line in adjustments)
    withholding = (gross + adjusted) // 10
    return StatementView(
        language="zh",
        serial="PP-2025Q2-0001",
        issued_on=date(2025, 7, 2),
        currency="CNY",
        pool_name="示例专利池",
        pool_standard="GB/T 12345",
        contributor_name="北京理工大学",
        contributor_id=1,
        period_start=date(2025, 4, 1),
        period_end=date(2025, 7, 1),
        basis=tuple(CountryBasis(c, 3 + i, 100 + 10 * i) for i, c in enumerate(COUNTRIES)),
        lines=lines,
        adjustments=adjustments,
        memo=memo,
        pool_received_minor=200_000_000,
        pool_admin_fee_minor=20_000_000,
        pool_distributable_minor=180_000_000,
        admin_fee_rate="0.10",
        gross_minor=gross,
        adjustments_minor=adjusted,
        withholding_rate="0.10",
        withholding_minor=withholding,
        net_payable_minor=gross + adjusted - withholding,
        run_id=1,
        formula_version="patent_count/1",
        input_sha256="ab" * 32,
    )


def timed(render: Callable[[], bytes], runs: int) -> tuple[float, list[float], int]:
    """Milliseconds of the first call, of each of the next `runs` calls, and the output size."""
    start = time.perf_counter()
    size = len(render())
    first = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render()
        times.append((time.perf_counter() - start) * 1000)
    return first, times, size


def subsetter() -> str:
    """Which library WeasyPrint subsets fonts with (HarfBuzz is much faster than fontTools)."""
    from weasyprint.text.ffi import harfbuzz_subset

    return "fontTools (no libharfbuzz-subset0)" if harfbuzz_subset is None else "HarfBuzz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # the subsetter is printed below
    view = statement()
    html = docs.render_html(view)
    rows = [
        ("html", lambda: docs.render_html(view)),
        ("csv", lambda: docs.render_csv(view)),
        ("pdf", lambda: docs.render_pdf(html)),
    ]
    lines = len(view.lines) + len(view.adjustments) + len(view.memo)
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs")
    print(f"statement: {lines} detail lines; runs per format: {runs}")
    print()
    print("| format | first ms | mean ms | min ms | max ms | bytes |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, render in rows:
        first, times, size = timed(render, runs)
        mean = sum(times) / len(times)
        print(
            f"| {name} | {first:.1f} | {mean:.1f} | {min(times):.1f} | {max(times):.1f} "
            f"| {size:,} |"
        )
    print()
    print(f"PDF font subsetting: {subsetter()}")


if __name__ == "__main__":
    main()
