"""The allocation result: integer amounts, plus the exact trace that explains them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from allocation.constraints import Bounds
from allocation.ideal import IdealSplit
from allocation.matrix import Matrix
from allocation.weights import Slice


@dataclass(frozen=True)
class ContributorAmount:
    """A contributor's amount and its breakdown by country (countries it has a share in)."""

    id: str
    amount_minor: int
    by_country: Mapping[str, int]


@dataclass(frozen=True)
class RunInfo:
    """How the run was made: enough to reproduce and audit it."""

    formula_version: str
    input_sha256: str
    solver: str
    status: str


@dataclass(frozen=True)
class ContributorTrace:
    """Exact intermediate values for one contributor (minor units, as fractions)."""

    ideal_minor: Fraction
    target_minor: Fraction
    binding: str | None  # "cap", "floor" or None
    floor_minor: int
    cap_minor: int | None


@dataclass(frozen=True)
class AllocationTrace:
    """Everything :func:`allocation.explain` needs, kept exact (and cheap: the per
    contributor fractions are only built when asked for)."""

    lam: Fraction
    bounds: Bounds
    binding: tuple[str | None, ...]
    target_numerators: tuple[int, ...]
    target_denominator: int
    slices: tuple[Slice, ...]
    split: IdealSplit
    matrix: Matrix

    def contributor(self, index: int) -> ContributorTrace:
        """Exact values for the contributor at ``index`` (contributors in id order)."""
        return ContributorTrace(
            Fraction(self.split.totals[index], self.split.denominator),
            Fraction(self.target_numerators[index], self.target_denominator),
            self.binding[index],
            self.bounds.floors[index],
            self.bounds.caps[index],
        )


@dataclass(frozen=True)
class AllocationResult:
    """Amounts in minor units; contributors and countries are in id/code order."""

    currency: str
    received_minor: int
    admin_fee_minor: int
    distributable_minor: int
    countries: Mapping[str, int]
    contributors: tuple[ContributorAmount, ...]
    run: RunInfo
    trace: AllocationTrace
