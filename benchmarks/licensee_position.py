"""How long a licensee's position takes to compute (services.billing.position), which the
invoices, invoice and account pages, the API and the dashboard's overdue figures read.

Run: .venv/bin/python -P benchmarks/licensee_position.py [--licensees 60] [--dates 4]
Builds `patentpool demo` on SQLite in a temporary folder, then for several dates times the
position of every licensee (one pool), and the pool's overdue parts (the dashboard's figure).
The table gives per date: licensees, invoices, mean/max ms per licensee, ms for the overdue
list, and the number of SQL statements per licensee (mean).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import event
from sqlmodel import Session, select

from pool.db import make_engine
from pool.models.billing import Invoice
from pool.services.billing import position

DATES = (date(2025, 5, 15), date(2025, 8, 20), date(2025, 11, 3), date(2026, 1, 15))


def build(data_dir: Path, licensees: int) -> None:
    env = {
        **os.environ,
        "PATENTPOOL_DATA_DIR": str(data_dir),
        "PATENTPOOL_DATABASE_URL": "",
        "PATENTPOOL_ARGON2_TIME_COST": "1",
        "PATENTPOOL_ARGON2_MEMORY_KIB": "1024",
    }
    size = ["--contributors", "4", "--patents", "60", "--licensees", str(licensees)]
    command = [sys.executable, "-c", "from scheduler.cli import main; main()", "demo"]
    subprocess.run([*command, "--no-serve", *size], env=env, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--licensees", type=int, default=60)
    parser.add_argument("--dates", type=int, default=len(DATES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        t0 = time.monotonic()
        build(data_dir, args.licensees)
        print(f"# demo with {args.licensees} licensees built in {time.monotonic() - t0:.0f} s")
        engine = make_engine(f"sqlite:///{data_dir / 'patentpool.sqlite3'}")
        statements = [0]

        @event.listens_for(engine, "before_cursor_execute")
        def _count(*_: object) -> None:
            statements[0] += 1

        print(
            f"{'as of':<10}  {'licensees':>9}  {'invoices':>8}  {'mean ms':>8}  {'max ms':>7}"
            f"  {'overdue ms':>10}  {'SQL/licensee':>12}"
        )
        with Session(engine) as s:
            pairs = sorted(
                set(s.exec(select(Invoice.pool_id, Invoice.licensee_organisation_id)).all())
            )
            for day in DATES[: args.dates]:
                times, invoices = [], 0
                statements[0] = 0
                for pool_id, licensee in pairs:
                    t = time.perf_counter()
                    found = position.licensee_position(
                        s, pool_id=pool_id, licensee_organisation_id=licensee, as_of=day
                    )
                    times.append((time.perf_counter() - t) * 1000)
                    invoices += len(found.invoices)
                per_licensee = statements[0] / max(len(pairs), 1)
                t = time.perf_counter()
                for pool_id in sorted({p for p, _ in pairs}):
                    position.late_parts(
                        s, pool_id=pool_id, licensee_organisation_id=None, as_of=day
                    )
                overdue_ms = (time.perf_counter() - t) * 1000
                mean = sum(times) / max(len(times), 1)
                print(
                    f"{day.isoformat():<10}  {len(pairs):>9}  {invoices:>8}  {mean:>8.1f}"
                    f"  {max(times, default=0):>7.1f}  {overdue_ms:>10.1f}  {per_licensee:>12.0f}"
                )
        engine.dispose()


if __name__ == "__main__":
    main()
