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
would. The patents go in two parts around the reports (see `_patents`: the charging sees the
same coverage, and the invoices, lines, postings and allocations come out identical, checked
at a tenth of the size). Then the Q2 period is closed and approved (nothing was received in
it).

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
import hashlib
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from argon2 import PasswordHasher
from sqlalchemy import Engine, insert, text
from sqlalchemy import select as select_rows
from sqlmodel import Session, col, select

import pool.models  # noqa: F401
from pool.auth import Principal
from pool.db import make_engine, session_scope
from pool.models.billing import Invoice, PaymentCreate
from pool.models.distribution import (
    DistributionRun,
    DocumentFormat,
    RunContributor,
    RunLine,
    Statement,
    StatementDocument,
)
from pool.models.licensing import LicenceAgreement, LicenceTerms, Product
from pool.models.membership import Membership
from pool.models.organisation import Organisation
from pool.models.patent import Patent, PatentInclusion
from pool.models.pool import (
    AllocationMethod,
    Pool,
    PoolCreate,
    PoolStatus,
    PoolUpdate,
    TechnologyField,
)
from pool.models.user import Role, UserCreate
from pool.services import accounts, audit, distribution, pools, statements
from pool.services.billing import dues, payments
from pool.services.distribution import runs as distribution_runs
from pool.services.reports import csv_import as report_import
from pool.services.statements import documents as statement_documents

# beside this script, found after the project imports so benchmarks/allocation.py never
# shadows the allocation package
sys.path.append(str(Path(__file__).parent))
from bench_db import fresh_database

COUNTRIES = ("CN", "US", "DE", "JP", "KR", "IN")
COUNTRY_WEIGHTS = (35, 20, 10, 12, 13, 10)
SOLD_IN = (*COUNTRIES, "BR", "VN", "GB")
MADE_IN = ("CN", "CN", "CN", "VN", "IN", "KR", "DE")
USAGE_START = date(2025, 4, 1)
PERIOD_START = date(2025, 7, 1)
SETUP_NOW = datetime(2025, 6, 1, 9, tzinfo=UTC)
CLOSE_NOW = datetime(2025, 11, 1, 3, tzinfo=UTC)  # the day Q3 closes (reports due + 1)
ACTOR = audit.Actor.system("bench")
BATCH = 25  # scheduler.jobs.ISSUE_BATCH
PER_UNIT: dict[str, Any] = {
    "terms_version": "unit",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [
        {"category": "mobile", "basis": "per_unit", "tiers": [{"from_units": 0, "rate": "0.50"}]},
        {"category": "TV", "basis": "per_unit", "tiers": [{"from_units": 0, "rate": "1.20"}]},
    ],
}
PERCENT: dict[str, Any] = {
    "terms_version": "percent",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [
        {"category": "PC", "basis": "percent_of_net_sales", "percent": "1.5"},
        {"category": "tablet", "basis": "percent_of_net_sales", "percent": "2.0"},
    ],
}
T = TypeVar("T")
SURNAMES = "北京上海清华浙江复旦南京武汉中山华中西安"


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


# ---------------------------------------------------------------- setup (not timed)


def _admin(engine: Engine) -> Principal:
    with session_scope(engine) as s:
        user = accounts.create_user(
            s,
            data=UserCreate(
                email="admin@bench.example",
                display_name="admin",
                password="benchmark pass",
                role=Role.ADMIN,
                organisation_id=None,
            ),
            hasher=PasswordHasher(time_cost=1, memory_cost=1024),
            actor=ACTOR,
            now=SETUP_NOW,
        )
        return Principal(
            user_id=user.id or 0,
            email=user.email,
            role=Role.ADMIN,
            organisation_id=None,
            token_id=0,
        )


def _pool(engine: Engine, boss: Principal) -> int:
    with session_scope(engine) as s:
        data = PoolCreate(
            name="Bench video codec pool",
            technology_field=TechnologyField.ICT_MANUFACTURING,
            standard="GB/T 00000-2025",
            currency="USD",
            allocation_method=AllocationMethod.GRADE_WEIGHTED,
            allocation_parameters={"grade_points": {"A": "3", "B": "2", "C": "1"}},
        )
        pool_id = pools.create(s, principal=boss, data=data, now=SETUP_NOW).id or 0
        pools.update(
            s,
            principal=boss,
            pool_id=pool_id,
            data=PoolUpdate(status=PoolStatus.OPEN),
            now=SETUP_NOW,
        )
    return pool_id


def _insert(s: Session, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Multi-row INSERT ... RETURNING id, in chunks; ids in the order of `rows`."""
    ids: list[int] = []
    for start in range(0, len(rows), 5000):
        result = s.execute(
            insert(table).returning(table.id, sort_by_parameter_order=True),
            rows[start : start + 5000],
        )
        ids += [row[0] for row in result]
    return ids


def _organisations(
    s: Session, pool_id: int, n_contributors: int, n_licensees: int
) -> tuple[list[int], list[int]]:
    rng = random.Random(1)
    contributors = []
    for i in range(n_contributors):
        zh = i % 5 < 2
        name = f"{SURNAMES[i % len(SURNAMES)]}{'大学' if i % 3 else '研究院'}{i:04d}"
        contributors.append(
            {
                "name": name if zh else f"Contributor {i:04d} Ltd",
                "kind": ("university", "research_institute", "private_company")[i % 3],
                "country": "CN" if zh else rng.choice(COUNTRIES),
                "withholding_rate": "0.1" if i % 10 else "0",
                "language": "zh-CN" if zh else "en",
                "created_at": SETUP_NOW,
            }
        )
    licensees = [
        {
            "name": f"Licensee {i:04d} Inc",
            "kind": "private_company",
            "size_class": ("small", "medium", "large")[i % 3],
            "country": rng.choice(COUNTRIES),
            "created_at": SETUP_NOW,
        }
        for i in range(n_licensees)
    ]
    contributor_ids = _insert(s, Organisation, contributors)
    licensee_ids = _insert(s, Organisation, licensees)
    s.execute(
        insert(Membership),
        [
            {
                "pool_id": pool_id,
                "organisation_id": org,
                "joined_on": date(2024, 1, 1),
                "agreement_version": "v1",
                # a few leave during the statement period: they still get a statement
                "withdrawn_on": date(2025, 8, 15) if i % 100 == 99 else None,
                "created_at": SETUP_NOW,
            }
            for i, org in enumerate(contributor_ids)
        ],
    )
    return contributor_ids, licensee_ids


Patents = list[tuple[dict[str, Any], tuple[str, date, date | None]]]


def _patents(pool_id: int, owners: list[int], total: int) -> tuple[Patents, Patents]:
    """Skewed holdings (weight 1/rank^0.8, at least one patent each), random countries and
    grades; 1 % leave mid-usage-quarter, 1 % mid-statement-period, 1 % join mid-quarter.

    Returned in two parts: the first patent of each distinct (country, in-pool interval),
    written before the reports, and the rest, written after them. Charging a report reads
    the pool's coverage, which is the set of distinct (country, start, end) intervals
    (`charging.coverage_of`), so it is the same with either part; but it reads every
    inclusion row to find it: with all 50,000 written first, each report took 0.24 s of
    0.26 s there, and the 2,000 reports 11 minutes."""
    rng = random.Random(2)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(owners))]
    scale = (total - len(owners)) / sum(weights)
    counts = [1 + int(w * scale) for w in weights]
    counts[0] += total - sum(counts)
    first: Patents = []
    rest: Patents = []
    seen: set[tuple[str, date, date | None]] = set()
    n = 0
    for owner, count in zip(owners, counts, strict=True):
        for _ in range(count):
            country = rng.choices(COUNTRIES, COUNTRY_WEIGHTS)[0]
            row = {
                "pool_id": pool_id,
                "owner_organisation_id": owner,
                "number": f"{country}{10_000_000 + n}B2",
                "number_key": f"{country}{10_000_000 + n}",
                "jurisdiction": country,
                "country": country,
                "title": "Video coding method",
                "filing_date": date(2015, 1, 1),
                "standard_sections": [],
                "status": "accepted",
                "grade": rng.choices("ABC", (20, 50, 30))[0],
                "submitted_at": SETUP_NOW,
                "updated_at": SETUP_NOW,
            }
            n += 1
            roll = rng.random()
            start = date(2025, 5, 15) if roll < 0.01 else date(2020, 1, 1)
            end = (
                date(2025, 5, 20)
                if 0.01 <= roll < 0.02
                else date(2025, 8, 20)
                if 0.02 <= roll < 0.03
                else None
            )
            span = (country, start, end)
            (rest if span in seen else first).append((row, span))
            seen.add(span)
    return first, rest


def _insert_patents(s: Session, pool_id: int, patents: Patents) -> None:
    ids = _insert(s, Patent, [row for row, _ in patents])
    s.execute(
        insert(PatentInclusion),
        [
            {"patent_id": pid, "pool_id": pool_id, "country": c, "start_on": a, "end_on": b}
            for pid, (_, (c, a, b)) in zip(ids, patents, strict=True)
        ],
    )


def _agreements(s: Session, pool_id: int, licensees: list[int]) -> list[tuple[int, list[int]]]:
    """(agreement, its 5 products) per licensee; even licensees on per-unit terms."""
    terms = _insert(
        s,
        LicenceTerms,
        [
            {
                "pool_id": pool_id,
                "version": royalty["terms_version"],
                "royalty_terms": royalty,
                "payment_terms": {"net_days": 30},
                "sha256": "0" * 64,
                "created_at": SETUP_NOW,
            }
            for royalty in (PER_UNIT, PERCENT)
        ],
    )
    start = date(2025, 4, 1)
    deals = _insert(
        s,
        LicenceAgreement,
        [
            {
                "pool_id": pool_id,
                "licensee_organisation_id": org,
                "terms_id": terms[i % 2],
                "licence_type": "ordinary",
                "territory": [],
                "product_categories": [],
                "signed_on": date(2025, 3, 15),
                "start_on": start,
                "end_on": date(2030, 1, 1),
                "state": "active",
                "state_changed_on": start,
                "created_at": SETUP_NOW,
            }
            for i, org in enumerate(licensees)
        ],
    )
    products = []
    for i, (deal, org) in enumerate(zip(deals, licensees, strict=True)):
        categories = [c["category"] for c in (PER_UNIT, PERCENT)[i % 2]["categories"]]
        for k in range(5):
            products.append(
                {
                    "agreement_id": deal,
                    "licensee_organisation_id": org,
                    "name": f"Device {k}",
                    "model": f"M{k}",
                    "category": categories[k % 2],
                    "patent_ids": [],
                    "filing_code": f"PF-{deal}-{k}",
                    "registered_on": start,
                    "created_at": SETUP_NOW,
                }
            )
    product_ids = _insert(s, Product, products)
    return [(deal, product_ids[5 * i : 5 * i + 5]) for i, deal in enumerate(deals)]


def _csv(rng: random.Random, products: list[int], lines: int) -> bytes:
    out = ["product_id,country_of_manufacture,country_of_sale,units,net_sales_minor"]
    for k in range(lines):
        units = rng.randint(50, 20_000)
        price = rng.randint(5_000, 60_000)
        made, sold = rng.choice(MADE_IN), rng.choice(SOLD_IN)
        out.append(f"{products[k % len(products)]},{made},{sold},{units},{units * price}")
    return ("\n".join(out) + "\n").encode()


def _line_counts(licensees: int, lines: int) -> list[int]:
    """50 and 150 in turn around the mean, summing to `lines` exactly."""
    mean = lines // licensees
    counts = [max(1, mean + (mean // 2 if i % 2 else -(mean // 2))) for i in range(licensees)]
    counts[-1] += lines - sum(counts)
    return counts


def _reports(
    engine: Engine, boss: Principal, deals: list[tuple[int, list[int]]], lines: int
) -> list[int]:
    """One Q2 report per licensee through `report_import.import_csv`, submitted in July."""
    rng = random.Random(3)
    invoice_ids = []
    counts = _line_counts(len(deals), lines)
    for i, ((deal, products), count) in enumerate(zip(deals, counts, strict=True)):
        now = datetime(2025, 7, 2, 8, tzinfo=UTC) + timedelta(minutes=10 * i)
        body = _csv(rng, products, count)
        with session_scope(engine) as s:
            receipt = report_import.import_csv(
                s,
                principal=boss,
                agreement_id=deal,
                period_start=USAGE_START,
                currency="USD",
                content=body,
                now=now,
            )
        invoice_ids.append(receipt.invoice_id or 0)
    return invoice_ids


def _payments(engine: Engine, boss: Principal, pool_id: int, invoice_ids: list[int]) -> int:
    """Most pay in full during the statement period, after their invoice fell due; some in
    parts, some half, some not at all."""
    with Session(engine) as s:
        invoices = {
            inv.id: inv for inv in s.exec(select(Invoice).where(col(Invoice.id).in_(invoice_ids)))
        }
    plan: list[tuple[date, int, int, str]] = []  # day, licensee, amount, reference
    for i, invoice_id in enumerate(invoice_ids):
        inv = invoices[invoice_id]
        total, who = inv.total_minor, inv.licensee_organisation_id
        day = date(2025, 8, 16) + timedelta(days=i % 45)
        kind = i % 20
        if total <= 0 or kind == 0:  # not paid
            continue
        if kind == 1:  # half, in September
            plan.append((date(2025, 9, 10), who, total // 2, f"B{i}-1"))
        elif kind == 2:  # in two parts, the second after the period's end
            plan.append((day, who, total // 3, f"B{i}-1"))
            plan.append((date(2025, 10, 10), who, total - total // 3, f"B{i}-2"))
        else:
            plan.append((day, who, total, f"B{i}-1"))
    plan.sort()
    # invoices fall due on 1-15 August (net 30 days); the daily job has moved them from
    # deferred to receivable before the first payment (paid earlier, money waits as credit)
    with session_scope(engine) as s:
        job_time = datetime(2025, 8, 16, 1, tzinfo=UTC)
        dues.recognise_due(s, pool_id=pool_id, as_of=job_time.date(), now=job_time)
    for day, who, amount, reference in plan:
        data = PaymentCreate(
            licensee_organisation_id=who,
            reference=reference,
            amount_minor=amount,
            currency="USD",
            received_on=day,
        )
        now = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        with session_scope(engine) as s:
            payments.record(s, principal=boss, pool_id=pool_id, data=data, now=now)
    return len(plan)


def setup(engine: Engine, scale: dict[str, int]) -> dict[str, Any]:
    started = time.perf_counter()
    boss = _admin(engine)
    pool_id = _pool(engine, boss)
    with session_scope(engine) as s:
        contributors, licensees = _organisations(
            s, pool_id, scale["contributors"], scale["licensees"]
        )
        first, rest = _patents(pool_id, contributors, scale["patents"])
        _insert_patents(s, pool_id, first)
        deals = _agreements(s, pool_id, licensees)
    base = time.perf_counter() - started
    invoice_ids = _reports(engine, boss, deals, scale["lines"])
    reported = time.perf_counter() - started - base
    with session_scope(engine) as s:
        _insert_patents(s, pool_id, rest)
    paid = _payments(engine, boss, pool_id, invoice_ids)
    # Q2 closes first (nothing received in it yet), as the period close job would
    with session_scope(engine) as s:
        q2 = distribution.compute(
            s, pool_id=pool_id, period_start=USAGE_START, actor=ACTOR, now=CLOSE_NOW
        )
        distribution_runs.approve(s, run=q2, actor=ACTOR, now=CLOSE_NOW)
    return {
        "setup_s": time.perf_counter() - started,
        "base_s": base,
        "reports_s": reported,
        "payments": paid,
        "invoices": len(invoice_ids),
    }


# ---------------------------------------------------------------- the timed close


def _issue_html_csv(engine: Engine, run_id: int) -> int:
    """`scheduler.jobs._issue_run` with `with_pdf=False`: batches of 25, each read and
    rendered outside the write transaction, then stored in its own transaction."""
    issued = 0
    while True:
        with Session(engine) as s:
            run = s.get(DistributionRun, run_id)
            if run is None:
                return issued
            batch = statements.pending(s, run)[:BATCH]
            rendered = (
                statements.render(
                    s, run=run, contributor_ids=batch, issued_on=CLOSE_NOW.date(), with_pdf=False
                )
                if batch
                else []
            )
        if not rendered:
            return issued
        with session_scope(engine) as s:
            issued += len(statements.store(s, run=run, rendered=rendered, now=CLOSE_NOW))


def _digest(engine: Engine, run_id: int) -> tuple[str, dict[str, int]]:
    """SHA-256 over the run's lines, contributor totals and statement documents."""
    h = hashlib.sha256()
    with Session(engine) as s:
        run = s.get(DistributionRun, run_id)
        assert run is not None
        for line in s.execute(
            select_rows(
                col(RunLine.contributor_organisation_id),
                col(RunLine.usage_start),
                col(RunLine.country),
                col(RunLine.amount_minor),
                col(RunLine.cumulative_minor),
                col(RunLine.bucket_distributable_cumulative_minor),
            )
            .where(col(RunLine.run_id) == run_id)
            .order_by(col(RunLine.contributor_organisation_id), col(RunLine.country))
        ):
            h.update(repr(tuple(line)).encode())
        for c in s.exec(
            select(RunContributor)
            .where(RunContributor.run_id == run_id)
            .order_by(col(RunContributor.contributor_organisation_id))
        ):
            h.update(repr((c.gross_minor, c.withholding_minor, c.net_payable_minor)).encode())
        for serial, fmt, sha in s.exec(
            select(Statement.serial, StatementDocument.format, StatementDocument.sha256)
            .join(Statement, col(Statement.id) == StatementDocument.statement_id)
            .where(Statement.run_id == run_id)
            .order_by(col(Statement.serial), col(StatementDocument.format))
        ):
            h.update(f"{serial}/{fmt}/{sha}".encode())
        figures = {
            "received": run.received_minor,
            "fee": run.admin_fee_minor,
            "net": run.net_payable_minor,
            "lines": len(s.exec(select(RunLine.id).where(RunLine.run_id == run_id)).all()),
        }
    return h.hexdigest(), figures


def _phase(out: dict[str, Any], name: str, work: Callable[[], T]) -> T:
    """Time `work`; note the process's peak RSS after it (and the traced peak during it,
    under `--tracemalloc`)."""
    if tracemalloc.is_tracing():
        tracemalloc.reset_peak()
    started = time.perf_counter()
    result = work()
    out[f"{name}_s"] = time.perf_counter() - started
    out[f"rss_{name}_mb"] = max_rss_mb()
    if tracemalloc.is_tracing():
        out[f"traced_{name}_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    return result


def close(engine: Engine) -> dict[str, Any]:
    with Session(engine) as s:
        pool_id = s.exec(select(Pool.id)).one() or 0
    out: dict[str, Any] = {"rss_start_mb": max_rss_mb(), "load_before": _load()}

    def compute() -> int:
        with session_scope(engine) as s:
            run = distribution.compute(
                s, pool_id=pool_id, period_start=PERIOD_START, actor=ACTOR, now=CLOSE_NOW
            )
            return run.id or 0

    def approve() -> None:
        with session_scope(engine) as s:
            run = s.get(DistributionRun, run_id)
            assert run is not None
            distribution_runs.approve(s, run=run, actor=ACTOR, now=CLOSE_NOW)

    run_id = _phase(out, "compute", compute)
    _phase(out, "approve", approve)
    out["statements"] = _phase(out, "html_csv", lambda: _issue_html_csv(engine, run_id))
    out["load_after"] = _load()
    out["digest"], out["figures"] = _digest(engine, run_id)
    out["run_id"] = run_id
    return out


def pdf_pass(engine: Engine, sample: int) -> dict[str, Any]:
    """Render each stored HTML statement to PDF (outside any transaction) and store it, in
    batches of 25; all statements, or `sample` spread evenly over them."""
    with Session(engine) as s:
        ids = list(
            s.exec(
                select(StatementDocument.id)
                .where(StatementDocument.format == DocumentFormat.HTML)
                .order_by(col(StatementDocument.statement_id))
            ).all()
        )
    chosen = ids if not sample or sample >= len(ids) else ids[:: max(1, len(ids) // sample)]
    chosen = chosen[: sample or len(chosen)]
    statement_documents.render_pdf(b"<html><body>warm-up</body></html>")  # imports, fonts
    out: dict[str, Any] = {"rss_start_mb": max_rss_mb(), "load_before": _load()}
    _phase(out, "pdf", lambda: _render_pdfs(engine, chosen))
    out.update(
        {
            "pdfs": len(chosen),
            "statements": len(ids),
            "pdf_all_s": out["pdf_s"] * len(ids) / max(1, len(chosen)),
            "load_after": _load(),
        }
    )
    return out


def _render_pdfs(engine: Engine, document_ids: list[int | None]) -> None:
    for at in range(0, len(document_ids), BATCH):
        with Session(engine) as s:
            docs = s.exec(
                select(StatementDocument).where(
                    col(StatementDocument.id).in_(document_ids[at : at + BATCH])
                )
            ).all()
            sources = [(d.statement_id, d.content) for d in docs]
        pdfs = [(sid, statement_documents.render_pdf(html)) for sid, html in sources]
        with session_scope(engine) as s:
            for sid, pdf in pdfs:
                statement = s.get(Statement, sid)
                assert statement is not None
                statements.store_document(s, statement, DocumentFormat.PDF, pdf, CLOSE_NOW)


# ---------------------------------------------------------------- driver


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
