"""Find which caps and floors bind with a small, scaled LP (PuLP + HiGHS, or CBC).

The LP is contributor-level, never contributor x country, and it never produces money.
In ratio space ``r_i = x_i / ideal_i`` (values near 1, so the LP is well scaled) it
minimises the largest ratio ``T`` of the contributors not pinned to a floor::

    min T  s.t.  r_i <= T,  floor_i/ideal_i <= r_i <= cap_i/ideal_i,  sum_i a_i r_i = 1

with ``a_i = ideal_i / D``. When no floor lies above the optimum, ``T`` is the common lambda
of the clip rule (lexicographic min-max fairness). The solver's floating-point ``T`` is only
used to guess the binding pattern; lambda and every amount are then computed exactly and
checked. A floor above ``T`` is pinned and the LP solved again. Contributors without any
constraint share one ratio, so they are one aggregated variable.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

import pulp

from allocation.constraints import Bounds
from allocation.ideal import IdealSplit

SOLVERS = ("highs", "cbc")
_NAMES = {"highs": "HiGHS", "cbc": "CBC"}
_LOCK = threading.Lock()  # LP solvers are not thread-safe: one solve at a time per process
_banner_done = False


@dataclass(frozen=True)
class LpOutcome:
    """The solver's estimate of lambda, or why there is none."""

    solver: str
    status: str
    estimate: Fraction | None


def make_solver(name: str) -> pulp.LpSolver:
    """HiGHS through highspy, or the CBC binary bundled with PuLP (via ``COIN_CMD``, which
    unlike the deprecated ``PULP_CBC_CMD`` raises no warning and exists in PuLP 4)."""
    if name == "highs":
        return pulp.HiGHS(msg=False)
    bundled = getattr(pulp.apis.coin_api, "pulp_cbc_path", None)
    path = bundled if bundled and os.access(bundled, os.X_OK) else None
    return pulp.COIN_CMD(msg=False, path=path)


def estimate_lambda(
    bounds: Bounds, split: IdealSplit, distributable: int, pinned: frozenset[int], solver: str
) -> LpOutcome:
    """Solve the min-max LP once; ``estimate`` is ``None`` unless the status is Optimal."""
    backend = make_solver(solver)
    if not backend.available():
        return LpOutcome(_NAMES[solver], "Not Available", None)
    problem, top = _build(bounds, split, distributable, pinned)
    with _LOCK, _quiet_first_highs(solver):
        status = problem.solve(backend)
    value = top.value()
    if status != pulp.LpStatusOptimal or value is None:
        return LpOutcome(_NAMES[solver], pulp.LpStatus[status], None)
    return LpOutcome(_NAMES[solver], pulp.LpStatus[status], Fraction(float(value)))


def _build(
    bounds: Bounds, split: IdealSplit, distributable: int, pinned: frozenset[int]
) -> tuple[pulp.LpProblem, pulp.LpVariable]:
    scale = split.denominator * distributable
    problem = pulp.LpProblem("allocation_lambda", pulp.LpMinimize)
    top = problem.add_variable("T", lowBound=0)
    problem.setObjective(pulp.LpAffineExpression([(top, 1.0)]))
    terms: list[tuple[pulp.LpVariable, float]] = []
    free_total = 0
    constant = 0
    for index, (floor, cap, total) in enumerate(
        zip(bounds.floors, bounds.caps, split.totals, strict=True)
    ):
        if not total:
            constant += floor  # no ideal amount: always exactly its floor
        elif cap is None and not floor:
            free_total += total
        else:
            low = floor * split.denominator / total
            high = None if cap is None else cap * split.denominator / total
            ratio = problem.add_variable(f"r{index}", lowBound=low, upBound=high)
            terms.append((ratio, total / scale))
            if index in pinned:
                ratio.upBound = low
            else:
                problem.addConstraint(pulp.LpAffineExpression([(ratio, 1.0), (top, -1.0)]) <= 0)
    if free_total:
        shared = problem.add_variable("r_free", lowBound=0)
        terms.append((shared, free_total / scale))
        problem.addConstraint(pulp.LpAffineExpression([(shared, 1.0), (top, -1.0)]) <= 0)
    problem.addConstraint(pulp.LpAffineExpression(terms) == 1 - constant / distributable)
    return problem, top


@contextlib.contextmanager
def _quiet_first_highs(solver: str) -> Iterator[None]:
    """HiGHS prints a banner on stdout (at C level) the first time it is created in a
    process, which would corrupt ``--json`` output; send that one banner to /dev/null."""
    global _banner_done
    if solver != "highs" or _banner_done:
        yield
        return
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as sink:
            os.dup2(sink.fileno(), 1)
            try:
                yield
            finally:
                os.dup2(saved, 1)
    finally:
        os.close(saved)
        _banner_done = True
