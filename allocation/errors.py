"""Errors raised by the allocation package.

Every error names what is at fault so that a caller (the CLI, the service) can show it
without a traceback: input errors carry a JSON-path-like ``path``; domain errors carry the
ids of the royalty line or the contributors whose constraints conflict.
"""

from __future__ import annotations

from dataclasses import dataclass


class AllocationError(Exception):
    """Base class of every error raised by :mod:`allocation`."""


class InvalidInput(AllocationError):
    """An input value is missing, malformed or inconsistent.

    ``path`` is JSON-path-like (``$.patents[3].grade``), relative to the object that was
    validated (the scenario, or the method parameters for :func:`validate_method`).
    """

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class UnbucketableRoyalty(AllocationError):
    """A royalty line has no pool patent in force in its country of sale or manufacture.

    Such a line should never have been charged, so it cannot be distributed either.
    """

    def __init__(self, royalty_id: str, country_of_sale: str, country_of_manufacture: str) -> None:
        self.royalty_id = royalty_id
        self.country_of_sale = country_of_sale
        self.country_of_manufacture = country_of_manufacture
        super().__init__(
            f"royalty line {royalty_id!r}: no pool patent is in force during its usage period "
            f"in the country of sale {country_of_sale} or the country of manufacture "
            f"{country_of_manufacture}"
        )


@dataclass(frozen=True)
class Constraint:
    """One policy constraint of one contributor, as named in an infeasibility error."""

    contributor_id: str
    kind: str  # "floor" (min_amount_minor) or "cap" (max_share)
    amount_minor: int


class InfeasibleConstraints(AllocationError):
    """The floors and caps cannot all hold for this distributable amount."""

    def __init__(self, reason: str, constraints: tuple[Constraint, ...]) -> None:
        self.reason = reason
        self.constraints = constraints
        names = ", ".join(f"{c.kind} of {c.contributor_id} ({c.amount_minor})" for c in constraints)
        super().__init__(f"{reason}: {names}")


class RoundingError(AllocationError):
    """Controlled rounding found no solution: the row and column totals were inconsistent.

    Cannot happen for totals produced by this package (a fractional solution always
    exists); it guards the invariant instead of returning amounts that do not add up.
    """
