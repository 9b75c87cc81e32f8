"""Choose lambda: closed form when nothing binds, otherwise the LP, checked exactly.

The LP (see :mod:`allocation.lp`) only suggests which constraints bind. From that pattern
lambda is computed exactly and accepted only if the clipped parts sum exactly to the
distributable amount; a suggestion that is slightly off (a solver rounds its floats) is
refined exactly a few times. If every solver fails, the exact closed form is used and the
run's status says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from allocation.closed_form import closed_form_lambda
from allocation.constraints import (
    Bounds,
    canonical,
    classify,
    lambda_for,
    solves,
    unconstrained,
)
from allocation.ideal import IdealSplit
from allocation.lp import SOLVERS, estimate_lambda

CLOSED_FORM = "closed-form"
_REFINEMENTS = 3
_TOLERANCE = Fraction(1, 10**6)  # CBC's solution file keeps 8 significant digits


@dataclass(frozen=True)
class LambdaChoice:
    """The common lambda and how it was found (for the run metadata)."""

    value: Fraction
    solver: str
    status: str


def choose_lambda(
    bounds: Bounds, split: IdealSplit, distributable: int, solver: str = "highs"
) -> LambdaChoice:
    """Lambda for the clip rule; ``solver`` is tried first, then the other one."""
    if unconstrained(bounds, split):
        return LambdaChoice(Fraction(1), CLOSED_FORM, "exact")
    failures = []
    for name in (solver, *(s for s in SOLVERS if s != solver)):
        found = _with_lp(bounds, split, distributable, name)
        if isinstance(found, LambdaChoice):
            return found
        failures.append(found)
    exact = canonical(bounds, split, closed_form_lambda(bounds, split, distributable))
    return LambdaChoice(exact, CLOSED_FORM, "fallback after " + "; ".join(failures))


def _with_lp(
    bounds: Bounds, split: IdealSplit, distributable: int, solver: str
) -> LambdaChoice | str:
    """Solve, refine exactly, and pin floors that lie above the LP's optimum, until the
    pattern is exact; a string says why this solver gave no answer."""
    pinned: frozenset[int] = frozenset()
    while True:
        outcome = estimate_lambda(bounds, split, distributable, pinned, solver)
        if outcome.estimate is None:
            return f"{outcome.solver}: {outcome.status}"
        exact = _refine(bounds, split, distributable, outcome.estimate)
        if exact is not None:
            return LambdaChoice(canonical(bounds, split, exact), outcome.solver, outcome.status)
        above = _floors_above(bounds, split, outcome.estimate) - pinned
        if not above:
            return f"{outcome.solver}: {outcome.status} but no exact binding pattern"
        pinned |= above


def _refine(
    bounds: Bounds, split: IdealSplit, distributable: int, guess: Fraction
) -> Fraction | None:
    for _ in range(_REFINEMENTS):
        lam = lambda_for(bounds, split, classify(bounds, split, guess), distributable)
        if solves(bounds, split, lam, distributable):
            return lam
        guess = lam
    return None


def _floors_above(bounds: Bounds, split: IdealSplit, estimate: Fraction) -> frozenset[int]:
    """Contributors whose floor ratio is at (or within rounding of) the LP's optimum."""
    level = estimate * (1 - _TOLERANCE)
    return frozenset(
        index
        for index, (floor, total) in enumerate(zip(bounds.floors, split.totals, strict=True))
        if floor and total and Fraction(floor * split.denominator, total) >= level
    )
