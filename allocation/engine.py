"""``allocate``: from money received to each contributor's amount, to the minor unit.

The run has three phases, kept separate so that benchmarks can time them: :func:`prepare`
(validate, fingerprint, buckets, weights, exact ideal split, constraints), :func:`solve`
(lambda of the clip rule) and :func:`apportion` (integer amounts and country lines).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from allocation.apportion import apportion_exact
from allocation.canonical import input_sha256
from allocation.constraints import Bounds, bounds_for, check_feasible, classify, targets
from allocation.ideal import IdealSplit, ideal_split
from allocation.lp import SOLVERS
from allocation.matrix import Matrix, round_ideal, transfer
from allocation.model import FORMULA_VERSION, AllocationInput
from allocation.result import (
    AllocationResult,
    AllocationTrace,
    ContributorAmount,
    RunInfo,
)
from allocation.solve import LambdaChoice, choose_lambda
from allocation.validate import validate_input
from allocation.weights import Slice, WeightBook, build_slices


@dataclass(frozen=True)
class Prepared:
    """A validated input reduced to exact numbers, ready for :func:`solve`."""

    inp: AllocationInput
    ids: tuple[str, ...]
    input_sha256: str
    received_minor: int
    admin_fee_minor: int
    slices: tuple[Slice, ...]
    split: IdealSplit
    bounds: Bounds

    @property
    def distributable_minor(self) -> int:
        return self.received_minor - self.admin_fee_minor


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
    prepared = prepare(inp)
    return apportion(prepared, solve(prepared, solver))


def prepare(inp: AllocationInput) -> Prepared:
    """Validate and reduce the input to exact numbers; checks that floors and caps can hold."""
    validate_input(inp)
    ids = tuple(sorted(c.id for c in inp.contributors))
    received = sum(r.amount_minor for r in inp.royalties)
    fee = admin_fee(Fraction(inp.admin_fee_rate), received)
    slices = build_slices(inp, WeightBook(inp, {ident: i for i, ident in enumerate(ids)}))
    split = ideal_split(slices, received - fee, len(ids))
    bounds = bounds_for(inp, ids, received - fee)
    check_feasible(bounds, split, received - fee)
    return Prepared(inp, ids, input_sha256(inp), received, fee, tuple(slices), split, bounds)


def solve(prepared: Prepared, solver: str = "highs") -> LambdaChoice:
    """Lambda of the clip rule (closed form when nothing binds, else the LP, checked)."""
    return choose_lambda(prepared.bounds, prepared.split, prepared.distributable_minor, solver)


def apportion(prepared: Prepared, choice: LambdaChoice) -> AllocationResult:
    """Integer amounts (largest remainder) and the contributor x country matrix."""
    split, ids = prepared.split, prepared.ids
    countries = tuple(col.country for col in split.columns)
    matrix = round_ideal(split, ids, prepared.distributable_minor)
    numerators, denominator = targets(prepared.bounds, split, choice.value)
    # Lambda = 1 with nothing clipped is the unconstrained split; but a floor and a cap can
    # also balance each other at lambda = 1, and then the targets still differ from it.
    if choice.value != 1 or numerators != list(split.totals):
        matrix = transfer(matrix, apportion_exact(numerators, denominator, ids), countries)
    return AllocationResult(
        currency=prepared.inp.currency,
        received_minor=prepared.received_minor,
        admin_fee_minor=prepared.admin_fee_minor,
        distributable_minor=prepared.distributable_minor,
        countries={col.country: col.amount_minor for col in split.columns},
        contributors=tuple(
            ContributorAmount(
                ident,
                total,
                _by_country(cells, countries),
            )
            for ident, total, cells in zip(ids, matrix.totals, matrix.cells, strict=True)
        ),
        run=RunInfo(FORMULA_VERSION, prepared.input_sha256, choice.solver, choice.status),
        trace=_trace(prepared, choice, numerators, denominator, matrix),
    )


def _by_country(cells: dict[int, int], countries: tuple[str, ...]) -> dict[str, int]:
    """A row's cells keyed by country code, in code order (a row's cells are in column
    order, and columns are in code order)."""
    if len(cells) == len(countries):  # every country: usual once capped money has moved
        return dict(zip(countries, cells.values(), strict=True))
    return dict(zip(map(countries.__getitem__, cells), cells.values(), strict=True))


def _trace(
    prepared: Prepared,
    choice: LambdaChoice,
    numerators: list[int],
    denominator: int,
    matrix: Matrix,
) -> AllocationTrace:
    return AllocationTrace(
        choice.value,
        prepared.bounds,
        classify(prepared.bounds, prepared.split, choice.value),
        tuple(numerators),
        denominator,
        prepared.slices,
        prepared.split,
        matrix,
    )
