"""Closing a statement period at the scale of issue 5, and issuing every statement.

Run: .venv/bin/python -P benchmarks/period_close.py [--pg postgresql://postgres@127.0.0.1:5432/test]
     [--pdf-sample N] [--tracemalloc] [--scale 1.0] [--only sqlite|postgresql]

The pool (built first, not timed): 1,000 contributors (members; 40 % with Chinese names and
`zh-CN` statements, most withholding 10 %) holding 50,000 accepted patents (skewed: a few hold
hundreds, most a few dozen) in 6 countries (CN, US, DE, JP, KR, IN), graded A/B/C
(`grade_weighted`, 3/2/1 points); 1 % of the patents leave the pool in the middle of the
usage quarter, 1 % in the middle of the statement period, 1 % join mid-quarter. 2,000
licensees, each with one agreement (half on per-unit terms, half on percent-of-net-sales
terms, net 30 days) and 5 products. Every licensee reports Q2 2025 (50 or 150 lines, 200,000
lines in all, sold in the 6 countries and 3 others, made in 5) in July; the invoices fall due
in August (the dues job moves them to receivable on 16 August); 85 % pay in full during Q3,
5 % in two parts (the second after the period's end), 5 % half, 5 % not at all.

Written how: organisations, memberships, patents and their in-pool intervals, terms,
agreements and products with bulk Core inserts (the same rows the test kits write; no audit
events for them); every report, invoice, invoice line, instalment, ledger entry, payment and
payment allocation through the real services (`report_import.import_csv`,
`dues.recognise_due`, `payments.record`), one transaction each, as the API and the jobs
would. The patents go in two parts around the reports (see `patents` in period_close_bulk.py:
the charging sees the same coverage, and the invoices, lines, postings and allocations come out
identical, checked at a tenth of the size). Then the Q2 period is closed and approved (nothing
was received in it).

Timed, for the statement period Q3 2025 ([2025-07-01, 2025-10-01)), each phase its own
transaction(s), committed:
* compute: `distribution.compute` (the draft run: cash per usage period and country
  pair, the allocation, the stored lines);
* approve: `distribution_runs.approve` (the ledger entry);
* HTML+CSV: every recipient's statement rendered and stored as `scheduler.jobs`'
  `statement_issuance` does it (batches of 25: read and render outside the write
  transaction, store in its own transaction), with `with_pdf=False`;
* PDF: `statement_documents.render_pdf` of each stored HTML statement, stored as its PDF
  document in batches of 25 (what the job adds for PDFs): every statement, or an even
  sample (`--pdf-sample N`) with the total extrapolated.

Each database runs in its own processes (setup, close, PDF), so "peak RSS" is the close's or
the PDF pass's own high-water mark (`ru_maxrss`, including the interpreter and imports),
read after each phase; `--tracemalloc` adds the traced peak of each phase (Python
allocations only; tracing makes the phases 3-4 times slower, so its times are not the
benchmark's). SQLite: a file in a temporary directory, WAL (as `pool.db` configures
it). PostgreSQL: a schema of its own, dropped afterwards. The digest column hashes every run
line and statement document, so runs of different code can be compared for identical output.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

import allocation  # noqa: F401  (before benchmarks/ joins sys.path: see below)
import pool.models  # noqa: F401
from pool.db import make_engine

# beside this script, found after the project imports so benchmarks/allocation.py never
# shadows the allocation package (imported above: the period_close_* modules import services
# that import it, and would otherwise find benchmarks/allocation.py first)
sys.path.append(str(Path(__file__).parent))
from bench_db import fresh_database
from period_close_setup import setup
from period_close_timed import close, pdf_pass


def _child(args: argparse.Namespace) -> None:
    engine = make_engine(args.url)
    if args.tracemalloc and args.child != "setup":
        tracemalloc.start()
    if args.child == "setup":
        result = setup(engine, json.loads(args.scale_json))
    elif args.child == "close":
        result = close(engine)
    else:
        result = pdf_pass(engine, args.pdf_sample)
    engine.dispose()
    print("RESULT " + json.dumps(result))


def _spawn(phase: str, url: str, args: argparse.Namespace, scale: dict[str, int]) -> dict[str, Any]:
    command = [
        sys.executable,
        "-P",
        __file__,
        "--child",
        phase,
        "--url",
        url,
        "--scale-json",
        json.dumps(scale),
        "--pdf-sample",
        str(args.pdf_sample),
        *(["--tracemalloc"] if args.tracemalloc else []),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{phase} failed:\n{done.stderr[-4000:]}")
    last = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")][-1]
    result: dict[str, Any] = json.loads(last.removeprefix("RESULT "))
    print(f"  {phase}: {json.dumps(result)}", file=sys.stderr, flush=True)
    return result


def _child_url(label: str, engine: Engine, pg_url: str | None) -> str:
    """The URL a child process opens: the SQLite file, or the benchmark's own schema."""
    if label == "SQLite" or pg_url is None:
        return engine.url.render_as_string(hide_password=False)
    with engine.connect() as conn:
        schema = conn.execute(text("SHOW search_path")).scalar_one()
    return f"{pg_url}{'&' if '?' in pg_url else '?'}options=-csearch_path%3D{schema}"


def _databases(pg_url: str | None, only: str | None) -> Iterator[str | None]:
    if only != "postgresql":
        yield None
    if pg_url and only != "sqlite":
        yield pg_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="also measure on this PostgreSQL URL")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the issue's sizes")
    parser.add_argument("--pdf-sample", type=int, default=0, help="0: every statement")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also the traced peak of each phase (Python allocations; slows everything down)",
    )
    parser.add_argument("--child", choices=("setup", "close", "pdf"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--scale-json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    scale = {
        key: max(1, round(size * args.scale))
        for key, size in {
            "contributors": 1_000,
            "patents": 50_000,
            "licensees": 2_000,
            "lines": 200_000,
        }.items()
    }
    print(
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs; "
        f"{scale['contributors']:,} contributors, {scale['patents']:,} patents, "
        f"{scale['licensees']:,} licensees, {scale['lines']:,} report lines",
        flush=True,
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp_dir:
        for url in _databases(args.pg, args.only):
            with fresh_database(url, Path(tmp_dir), 0) as (label, engine):
                child_url = _child_url(label, engine, url)
                print(f"{label}: building the pool ...", file=sys.stderr, flush=True)
                built = _spawn("setup", child_url, args, scale)
                closed = _spawn("close", child_url, args, scale)
                pdf = _spawn("pdf", child_url, args, scale)
                rows.append((label, built, closed, pdf))
    _table(rows, args.pdf_sample)


Result = dict[str, Any]


def _table(rows: list[tuple[str, Result, Result, Result]], sample: int) -> None:
    print()
    print(
        "| database | compute s | approve s | HTML+CSV s | **close + HTML/CSV s** "
        "| peak RSS | PDF s | PDF peak RSS | load 1 min (before, after) | setup s | digest |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|")
    for label, built, closed, pdf in rows:
        total = closed["compute_s"] + closed["approve_s"] + closed["html_csv_s"]
        pdf_text = (
            f"{pdf['pdf_s']:.1f} (all {pdf['pdfs']:,})"
            if pdf["pdfs"] == pdf["statements"]
            else f"~{pdf['pdf_all_s']:.0f} ({pdf['pdf_s']:.1f} for {pdf['pdfs']})"
        )
        loads = f"{closed['load_before'].split('/')[0]}, {closed['load_after'].split('/')[0]}"
        print(
            f"| {label} | {closed['compute_s']:.2f} | {closed['approve_s']:.2f} "
            f"| {closed['html_csv_s']:.2f} ({closed['statements']:,}) | **{total:.1f}** "
            f"| {closed['rss_html_csv_mb']:.0f} MB | {pdf_text} | {pdf['rss_pdf_mb']:.0f} MB "
            f"| {loads} | {built['setup_s']:.0f} | {closed['digest'][:12]} |"
        )
    print()
    print(f"PDF: {'every statement' if not sample else f'a sample of {sample}, extrapolated'}")
    for label, _, closed, pdf in rows:
        if "traced_compute_mb" in closed:
            peaks = ", ".join(
                f"{name} {out[f'traced_{name}_mb']:.0f} MB"
                for name, out in (
                    ("compute", closed),
                    ("approve", closed),
                    ("html_csv", closed),
                    ("pdf", pdf),
                )
            )
            print(f"{label}: tracemalloc peaks (times above inflated by tracing): {peaks}")


if __name__ == "__main__":
    main()
