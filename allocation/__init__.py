"""Exact, explainable allocation of pool royalties to contributors.

Pure: standard library and PuLP only (no database, no web framework). Build an
:class:`AllocationInput` (or load a scenario file), call :func:`allocate`, then format the
:class:`AllocationResult` with :func:`result_to_json`, :func:`explain` or
:func:`render_text`. Rules and formats: ``docs/allocation.md``.
"""

from allocation.canonical import canonical_json, input_sha256
from allocation.currency import MINOR_UNIT_EXPONENTS, format_minor, is_currency, minor_unit_exponent
from allocation.engine import allocate
from allocation.errors import (
    AllocationError,
    Constraint,
    InfeasibleConstraints,
    InvalidInput,
    RoundingError,
    UnbucketableRoyalty,
)
from allocation.lp import SOLVERS
from allocation.model import (
    FORMAT_VERSION,
    FORMULA_VERSION,
    METHODS,
    AllocationInput,
    Contributor,
    Interval,
    Patent,
    RoyaltyLine,
)
from allocation.outcome.output import dumps, result_to_json
from allocation.outcome.output import explanation as explain
from allocation.outcome.render import render_text
from allocation.result import (
    AllocationResult,
    AllocationTrace,
    ContributorAmount,
    ContributorTrace,
    RunInfo,
)
from allocation.scenario import loads_scenario, parse_scenario
from allocation.validate import validate_input, validate_method

__all__ = [
    "FORMAT_VERSION",
    "FORMULA_VERSION",
    "METHODS",
    "MINOR_UNIT_EXPONENTS",
    "SOLVERS",
    "AllocationError",
    "AllocationInput",
    "AllocationResult",
    "AllocationTrace",
    "Constraint",
    "Contributor",
    "ContributorAmount",
    "ContributorTrace",
    "InfeasibleConstraints",
    "Interval",
    "InvalidInput",
    "Patent",
    "RoundingError",
    "RoyaltyLine",
    "RunInfo",
    "UnbucketableRoyalty",
    "allocate",
    "canonical_json",
    "dumps",
    "explain",
    "format_minor",
    "input_sha256",
    "is_currency",
    "loads_scenario",
    "minor_unit_exponent",
    "parse_scenario",
    "render_text",
    "result_to_json",
    "validate_input",
    "validate_method",
]
