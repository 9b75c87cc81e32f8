"""period_close.py's setup, not timed: the pool's rows (`period_close_bulk`), then every report,
invoice, payment and allocation through the real services, one transaction each, and Q2 closed."""

import random
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from period_close_bulk import admin, agreements, insert_patents, open_pool, organisations, patents
from period_close_scenario import ACTOR, CLOSE_NOW, MADE_IN, SOLD_IN, USAGE_START
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.db import session_scope
from pool.models.billing import Invoice, PaymentCreate
from pool.services import distribution
from pool.services.billing import dues, payments
from pool.services.distribution import runs as distribution_runs
from pool.services.reports import csv_import as report_import


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
    boss = admin(engine)
    pool_id = open_pool(engine, boss)
    with session_scope(engine) as s:
        contributors, licensees = organisations(
            s, pool_id, scale["contributors"], scale["licensees"]
        )
        first, rest = patents(pool_id, contributors, scale["patents"])
        insert_patents(s, pool_id, first)
        deals = agreements(s, pool_id, licensees)
    base = time.perf_counter() - started
    invoice_ids = _reports(engine, boss, deals, scale["lines"])
    reported = time.perf_counter() - started - base
    with session_scope(engine) as s:
        insert_patents(s, pool_id, rest)
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
