"""``allocate``: from money received to each contributor's amount, to the minor unit."""

from __future__ import annotations

from fractions import Fraction

from allocation.apportion import apportion_exact
from allocation.canonical import input_sha256
from allocation.constraints import bounds_for, check_feasible, classify, targets
from allocation.ideal import ideal_split
from allocation.lp import SOLVERS
from allocation.matrix import Matrix, round_ideal, transfer
from allocation.model import FORMULA_VERSION, AllocationInput
from allocation.result import (
    AllocationResult,
    AllocationTrace,
    ContributorAmount,
    ContributorTrace,
    RunInfo,
)
from allocation.solve import choose_lambda
from allocation.validate import validate_input
from allocation.weights import WeightBook, build_slices


def admin_fee(rate: Fraction, received_minor: int) -> int:
    """Fee rate x money received, rounded once, half to even, to the minor unit."""
    return round(rate * received_minor)


def allocate(inp: AllocationInput, *, solver: str = "highs") -> AllocationResult:
    """Split the money received among contributors (see ``docs/allocation.md``).

    ``solver`` ("highs" or "cbc") is tried first when a cap or floor binds; the other one is
    the fallback. Raises :class:`InvalidInput`, :class:`UnbucketableRoyalty` or
    :class:`InfeasibleConstraints`.
    """
    if solver not in SOLVERS:
        raise ValueError(f"solver must be one of {SOLVERS}")
    validate_input(inp)
    ids = tuple(sorted(c.id for c in inp.contributors))
    received = sum(r.amount_minor for r in inp.royalties)
    fee = admin_fee(Fraction(inp.admin_fee_rate), received)
    distributable = received - fee
    slices = build_slices(inp, WeightBook(inp, {ident: i for i, ident in enumerate(ids)}))
    split = ideal_split(slices, distributable, len(ids))
    bounds = bounds_for(inp, ids, distributable)
    check_feasible(bounds, split, distributable)
    choice = choose_lambda(bounds, split, distributable, solver)
    countries = tuple(col.country for col in split.columns)
    matrix = round_ideal(split, ids, distributable)
    numerators, denominator = targets(bounds, split, choice.value)
    if choice.value != 1:
        totals = apportion_exact(numerators, denominator, ids)
        matrix = transfer(matrix, totals, countries)
    binding = classify(bounds, split, choice.value)
    trace = AllocationTrace(
        choice.value,
        tuple(
            ContributorTrace(
                Fraction(split.totals[i], split.denominator),
                Fraction(numerators[i], denominator),
                binding[i],
                bounds.floors[i],
                bounds.caps[i],
            )
            for i in range(len(ids))
        ),
        tuple(slices),
        split,
        matrix,
    )
    return AllocationResult(
        currency=inp.currency,
        received_minor=received,
        admin_fee_minor=fee,
        distributable_minor=distributable,
        countries={col.country: col.amount_minor for col in split.columns},
        contributors=_amounts(ids, countries, matrix),
        run=RunInfo(FORMULA_VERSION, input_sha256(inp), choice.solver, choice.status),
        trace=trace,
    )


def _amounts(
    ids: tuple[str, ...], countries: tuple[str, ...], matrix: Matrix
) -> tuple[ContributorAmount, ...]:
    return tuple(
        ContributorAmount(
            ident,
            matrix.totals[row],
            {countries[c]: matrix.cells[row][c] for c in sorted(matrix.cells[row])},
        )
        for row, ident in enumerate(ids)
    )
