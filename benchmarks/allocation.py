"""Benchmark of the allocation engine against a full PuLP model and a NumPy lower bound.

Run ``.venv/bin/python -P benchmarks/allocation.py`` (``--quick`` for a small run; ``--size
5000x50 --ours-only --runs 7`` for one size, without the slow full LP). For each
size n contributors x m countries (each contributor holds one graded patent in about 30 %
of the countries, 10 % of patents expire mid-quarter, 5 % of contributors are capped at
half the average share) it prints a Markdown table with:

* **ours**: ``allocation.allocate`` in-process, split into *build* (validate, input hash,
  buckets, weights, exact ideal split), *solve* (lambda: LP on the capped contributors,
  checked exactly) and *apportion* (largest remainder and controlled rounding of the
  contributor x country matrix); best of ``--runs`` runs (3 by default) per phase, and the
  best and median total; peak memory from a separate run under ``tracemalloc`` (Python
  allocations only).
* **(a) full LP**: one PuLP variable per contributor x country holding, an L1 deviation
  objective from the ideal cells, country totals and caps as constraints, solved by CBC
  with a time limit. Floats only: it does less than ours (no exact rounding).
* **(b) NumPy**: closed-form water-filling on a dense n x m float matrix (ideal cells,
  lambda by sorting, row scaling); no exact arithmetic, no rounding, no column balance:
  a lower bound for the work.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

# This file is named like the package it measures: drop its own directory from the path
# (Python puts it first when the file is run as a script) and import the real package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import numpy as np  # noqa: E402
import pulp  # noqa: E402

from allocation import engine  # noqa: E402
from allocation.lp import make_solver  # noqa: E402
from allocation.model import AllocationInput, Contributor, Patent, RoyaltyLine  # noqa: E402

START, MID, END = date(2025, 1, 1), date(2025, 2, 15), date(2025, 4, 1)
POINTS = {"A": 3, "B": 2, "C": 1}
FULL_LP_TIME_LIMIT = 120  # seconds, per CBC solve
FULL_LP_MAX_CELLS = 80_000  # beyond this the PuLP model alone takes minutes to build


def country_codes(m: int) -> list[str]:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [a + b for a in letters for b in letters][:m]


def make_input(n: int, m: int, seed: int = 7) -> AllocationInput:
    rng = random.Random(seed)
    countries = country_codes(m)
    contributors, patents = [], []
    for i in range(n):
        ident = f"C{i:05d}"
        capped = rng.random() < 0.05
        share = (Decimal(1) / (2 * n)).quantize(Decimal("1E-9")) if capped else None
        contributors.append(Contributor(ident, max_share=share))
        for country in countries:
            if rng.random() < 0.3:
                in_force = ((None, MID),) if rng.random() < 0.1 else None
                grade = rng.choice("ABC")
                patents.append(Patent(f"{ident}-{country}", ident, country, grade, None, in_force))
    royalties = [
        RoyaltyLine(f"L-{c}", START, END, c, countries[0], rng.randint(10**5, 10**8))
        for c in countries
    ]
    return AllocationInput(
        "USD",
        Decimal("0.10"),
        "grade_weighted",
        tuple(contributors),
        tuple(patents),
        tuple(royalties),
        grade_points={g: Decimal(p) for g, p in POINTS.items()},
    )


def dense_problem(inp: AllocationInput) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Weights (n x m), country amounts, caps and the distributable amount, as floats."""
    ids = sorted(c.id for c in inp.contributors)
    row = {ident: i for i, ident in enumerate(ids)}
    countries = sorted({r.country_of_sale for r in inp.royalties})
    col = {c: j for j, c in enumerate(countries)}
    weights = np.zeros((len(ids), len(countries)))
    days = (END - START).days
    for p in inp.patents:
        in_force = days if p.in_force is None else (MID - START).days
        weights[row[p.contributor], col[p.country]] += POINTS[p.grade or "C"] * in_force
    received = sum(r.amount_minor for r in inp.royalties)
    distributable = received - round(received * 0.10)
    amounts = np.array([r.amount_minor for r in sorted(inp.royalties, key=lambda r: r.id)])
    amounts = amounts * distributable / received
    share = {c.id: c.max_share for c in inp.contributors}
    caps = np.array([np.inf if share[i] is None else float(share[i]) * distributable for i in ids])
    return weights, amounts, caps, float(distributable)


def numpy_waterfill(weights: np.ndarray, amounts: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """Float closed form: ideal cells, lambda by sorting cap ratios, rows scaled."""
    cells = weights / weights.sum(axis=0) * amounts
    ideal = cells.sum(axis=1)
    total = amounts.sum()
    ratio = np.where(ideal > 0, caps / np.where(ideal > 0, ideal, 1), np.inf)
    order = np.argsort(ratio)
    capped_before = np.concatenate(([0.0], np.cumsum(caps[order])[:-1]))
    free_after = np.cumsum(ideal[order][::-1])[::-1]
    lam = (total - capped_before) / free_after
    k = int(np.argmax(lam <= ratio[order]))
    x = np.minimum(lam[k] * ideal, caps)
    return cells * (x / np.where(ideal > 0, ideal, 1))[:, None]


def full_lp(weights: np.ndarray, amounts: np.ndarray, caps: np.ndarray) -> tuple[float, float, str]:
    """The straightforward model: x_ic per holding, min sum |x_ic - ideal_ic|, CBC."""
    started = time.perf_counter()
    cells = weights / weights.sum(axis=0) * amounts
    prob = pulp.LpProblem("full", pulp.LpMinimize)
    rows, cols = np.nonzero(weights)
    x, dev = {}, []
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        x[i, j] = prob.add_variable(f"x_{i}_{j}", lowBound=0)
        d = prob.add_variable(f"d_{i}_{j}", lowBound=0)
        dev.append(d)
        ideal = float(cells[i, j])
        prob.addConstraint(pulp.LpAffineExpression([(d, 1.0), (x[i, j], -1.0)]) >= -ideal)
        prob.addConstraint(pulp.LpAffineExpression([(d, 1.0), (x[i, j], 1.0)]) >= ideal)
    prob.setObjective(pulp.lpSum(dev))
    by_col: dict[int, list[tuple[Any, float]]] = {}
    by_row: dict[int, list[tuple[Any, float]]] = {}
    for (i, j), var in x.items():
        by_col.setdefault(j, []).append((var, 1.0))
        by_row.setdefault(i, []).append((var, 1.0))
    for j, terms in by_col.items():
        prob.addConstraint(pulp.LpAffineExpression(terms) == float(amounts[j]))
    for i, terms in by_row.items():
        if np.isfinite(caps[i]):
            prob.addConstraint(pulp.LpAffineExpression(terms) <= float(caps[i]))
    built = time.perf_counter()
    solver = engine_cbc(FULL_LP_TIME_LIMIT)
    status = prob.solve(solver)
    return built - started, time.perf_counter() - built, pulp.LpStatus[status]


def engine_cbc(time_limit: int) -> pulp.LpSolver:
    solver = make_solver("cbc")
    solver.timeLimit = time_limit
    return solver


def best_of(runs: int, fn: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def time_ours(inp: AllocationInput, runs: int = 3) -> dict[str, Any]:
    best: dict[str, float] = {}
    totals = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        prepared = engine.prepare(inp)
        t1 = time.perf_counter()
        choice = engine.solve(prepared)
        t2 = time.perf_counter()
        result = engine.apportion(prepared, choice)
        t3 = time.perf_counter()
        for key, value in (("build", t1 - t0), ("solve", t2 - t1), ("apportion", t3 - t2)):
            best[key] = min(best.get(key, value), value)
        totals.append(t3 - t0)
    assert result is not None
    best["total"], best["median"] = min(totals), statistics.median(totals)
    tracemalloc.start()
    engine.allocate(inp)
    best["peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    best["binding"] = sum(1 for kind in result.trace.binding if kind)
    best["solver"] = result.run.solver
    return best


def peak_mb(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return peak


def run_size(n: int, m: int, runs: int = 3, full: bool = True) -> str:
    inp = make_input(n, m)
    ours = time_ours(inp, runs)
    weights, amounts, caps, _ = dense_problem(inp)
    numpy_s = best_of(3, lambda: numpy_waterfill(weights, amounts, caps))
    holdings = int(np.count_nonzero(weights))
    if not full:
        full_text, ratio_a = "not run (--ours-only)", "-"
    elif holdings > FULL_LP_MAX_CELLS:
        full_text = f"skipped ({holdings:,} cells; model build alone takes minutes)"
        ratio_a = "-"
    else:
        build, solve, status = full_lp(weights, amounts, caps)
        full_text = f"{build:.2f} + {solve:.2f} = {build + solve:.2f} s ({status})"
        ratio_a = f"{(build + solve) / ours['total']:.0f}x"
    return (
        f"| {n:,} x {m} | {len(inp.patents):,} | {ours['binding']} | {ours['build']:.3f} | "
        f"{ours['solve']:.3f} ({ours['solver']}) | {ours['apportion']:.3f} | "
        f"**{ours['total']:.3f}** | {ours['median']:.3f} | {ours['peak_mb']:.0f} MB | "
        f"{full_text} | {ratio_a} | "
        f"{numpy_s * 1000:.1f} ms | {ours['total'] / numpy_s:.0f}x |"
    )


def size_arg(text: str) -> tuple[int, int]:
    n, _, m = text.lower().partition("x")
    try:
        return int(n), int(m)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected NxM, e.g. 5000x50, got {text!r}") from None


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"PuLP {pulp.__version__}, NumPy {np.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument(
        "--size", action="append", type=size_arg, help="n x m to run, e.g. 5000x50 (repeatable)"
    )
    parser.add_argument("--runs", type=int, default=3, help="timed runs of ours per size")
    parser.add_argument("--ours-only", action="store_true", help="skip (a), the full LP")
    args = parser.parse_args()
    if args.size:
        sizes = args.size
    elif args.quick:
        sizes = [(n, m) for n in (100, 1_000) for m in (10,)]
    else:
        sizes = [(n, m) for n in (100, 1_000, 5_000, 20_000) for m in (10, 50)]
    print(f"Machine: {machine()}\n")
    print(
        "| n x m | patents | capped & binding | ours build s | ours solve s | "
        "ours apportion s | ours total s (best) | ours total s (median) | ours peak | "
        "(a) full LP build + solve | (a) / ours | (b) NumPy | ours / (b) |"
    )
    print("|" + "---|" * 13)
    for n, m in sizes:
        print(run_size(n, m, args.runs, not args.ours_only), flush=True)


if __name__ == "__main__":
    main()
