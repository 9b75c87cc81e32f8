"""Lambda: the LP path (HiGHS or CBC) against the exact closed form, and the fallbacks."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction
from unittest import mock

import pulp
import pytest
from alloc_kit import amounts, check_invariants, line, patents, pool
from alloc_strategies import pools
from hypothesis import assume, given, settings

import allocation.lp
import allocation.solve
from allocation import (
    AllocationInput,
    Contributor,
    InfeasibleConstraints,
    Patent,
    RoyaltyLine,
    allocate,
    dumps,
)
from allocation.closed_form import closed_form_lambda
from allocation.constraints import canonical
from allocation.engine import prepare, solve
from allocation.lp import LpOutcome


def floor_pool() -> AllocationInput:
    # Ideal A 500,000, B 400,000, C 100,000; C's floor 200,000 -> lambda 8/9.
    return pool(
        [Contributor("A"), Contributor("B"), Contributor("C", min_amount_minor=200_000)],
        patents("A", "CN", 5) + patents("B", "CN", 4) + patents("C", "CN", 1),
        [line("L", 1_000_000, "CN")],
    )


def cap_pool() -> AllocationInput:
    # Ideal A 600,000, B 300,000, C 100,000; A's cap 250,000 -> lambda 15/8.
    return pool(
        [Contributor("A", max_share=Decimal("0.25")), Contributor("B"), Contributor("C")],
        patents("A", "CN", 6) + patents("B", "CN", 3) + patents("C", "CN", 1),
        [line("L", 1_000_000, "CN")],
    )


@settings(max_examples=100, deadline=None)
@given(pools())
def test_the_lp_path_finds_the_closed_form_lambda(inp: AllocationInput) -> None:
    try:
        prepared = prepare(inp)
    except InfeasibleConstraints:
        assume(False)
    choice = solve(prepared)
    exact = closed_form_lambda(prepared.bounds, prepared.split, prepared.distributable_minor)
    if choice.solver == "closed-form":
        assert choice.value == 1
        assert canonical(prepared.bounds, prepared.split, exact) in (exact, 1)
    else:
        assert choice.value == canonical(prepared.bounds, prepared.split, exact)


@settings(max_examples=60, deadline=None)
@given(pools(constrained=False))
def test_the_closed_form_fast_path_equals_the_lp_path(inp: AllocationInput) -> None:
    fast = allocate(inp)
    assert fast.run.solver == "closed-form"
    assume(fast.distributable_minor > 0)  # nothing to split: the LP is never asked
    with mock.patch.object(allocation.solve, "unconstrained", return_value=False):
        through_lp = allocate(inp)
    assert through_lp.run.solver == "HiGHS"
    assert through_lp.trace.lam == 1
    strip = {'"closed-form"': '"?"', '"HiGHS"': '"?"', '"exact"': '"?"', '"Optimal"': '"?"'}
    fast_json, lp_json = dumps(fast, explain=True), dumps(through_lp, explain=True)
    for old, new in strip.items():
        fast_json, lp_json = fast_json.replace(old, new), lp_json.replace(old, new)
    assert fast_json == lp_json


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_each_solver_gives_the_exact_lambda(solver: str) -> None:
    result = allocate(floor_pool(), solver=solver)
    assert result.trace.lam == Fraction(8, 9)
    assert result.run.solver == {"highs": "HiGHS", "cbc": "CBC"}[solver]
    assert result.run.status == "Optimal"


def test_an_unknown_solver_name_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="solver must be one of"):
        allocate(cap_pool(), solver="gurobi")


def test_floors_above_the_lp_optimum_are_pinned_and_the_lp_solved_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[frozenset[int]] = []
    real = allocation.lp.estimate_lambda

    def spy(*args: object) -> LpOutcome:
        calls.append(args[3])  # type: ignore[arg-type]
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(allocation.solve, "estimate_lambda", spy)
    monkeypatch.setattr(allocation.solve, "_REFINEMENTS", 1)
    result = allocate(floor_pool())
    # First LP: C's floor ratio (200,000 / 100,000 = 2) is the maximum, so T = 2; pinning C
    # at its floor, the second LP finds the free contributors' common ratio 8/9.
    assert calls == [frozenset(), frozenset({2})]
    assert result.trace.lam == Fraction(8, 9)
    assert amounts(result) == {"A": 444_444, "B": 355_556, "C": 200_000}


def test_a_slightly_wrong_estimate_is_refined_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    off = LpOutcome("HiGHS", "Optimal", Fraction(15, 8) * (1 + Fraction(1, 10**7)))
    monkeypatch.setattr(allocation.solve, "estimate_lambda", lambda *_: off)
    assert allocate(cap_pool()).trace.lam == Fraction(15, 8)


def test_when_no_solver_gives_an_exact_pattern_the_closed_form_decides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(allocation.solve, "_REFINEMENTS", 0)
    result = allocate(cap_pool())
    assert result.run.solver == "closed-form"
    assert result.run.status == (
        "fallback after HiGHS: Optimal but no exact binding pattern; "
        "CBC: Optimal but no exact binding pattern"
    )
    assert amounts(result) == {"A": 250_000, "B": 562_500, "C": 187_500}
    check_invariants(result)


class _Refusing(pulp.LpSolver):  # type: ignore[misc]
    name = "refusing"

    def available(self) -> bool:
        return True

    def actualSolve(self, lp: pulp.LpProblem, **_: object) -> int:
        lp.assignStatus(pulp.LpStatusNotSolved)
        return int(pulp.LpStatusNotSolved)


class _Missing(_Refusing):
    def available(self) -> bool:
        return False


@pytest.mark.parametrize(
    ("broken", "status"),
    [(_Refusing, "HiGHS: Not Solved"), (_Missing, "HiGHS: Not Available")],
)
def test_a_failing_solver_falls_back_to_the_other(
    monkeypatch: pytest.MonkeyPatch, broken: type[pulp.LpSolver], status: str
) -> None:
    real = allocation.lp.make_solver
    monkeypatch.setattr(
        allocation.lp, "make_solver", lambda name: broken() if name == "highs" else real(name)
    )
    result = allocate(cap_pool())
    assert (result.run.solver, result.run.status) == ("CBC", "Optimal")
    monkeypatch.setattr(allocation.lp, "make_solver", lambda name: broken())
    result = allocate(cap_pool())
    assert result.run.solver == "closed-form"
    assert result.run.status == f"fallback after {status}; {status.replace('HiGHS', 'CBC')}"
    assert result.trace.lam == Fraction(15, 8)


@pytest.mark.parametrize(
    ("people", "weights", "lam", "expected"),
    [
        # Everyone sits on a bound: A capped at 500,000 (ideal 600,000), B floored at
        # 500,000 (ideal 400,000). Any lambda in [5/6, 5/4] works; the smallest is reported.
        (
            [
                Contributor("A", max_share=Decimal("0.5")),
                Contributor("B", min_amount_minor=500_000),
            ],
            {"A": 6, "B": 4},
            Fraction(5, 6),
            {"A": 500_000, "B": 500_000},
        ),
        # The floors take everything: A 600,000 (ideal 500,000), B 400,000 (ideal 500,000).
        # Every lambda in [0, 4/5] works; the smallest is 0.
        (
            [
                Contributor("A", min_amount_minor=600_000),
                Contributor("B", min_amount_minor=400_000),
            ],
            {"A": 1, "B": 1},
            Fraction(0),
            {"A": 600_000, "B": 400_000},
        ),
    ],
)
@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_when_every_contributor_is_bound_lambda_is_the_smallest_that_works(
    people: list[Contributor],
    weights: dict[str, int],
    lam: Fraction,
    expected: dict[str, int],
    solver: str,
) -> None:
    inp = pool(
        people,
        [p for who, n in weights.items() for p in patents(who, "CN", n)],
        [line("L", 1_000_000, "CN")],
    )
    result = allocate(inp, solver=solver)
    assert result.trace.lam == lam
    assert amounts(result) == expected
    prepared = prepare(inp)
    assert closed_form_lambda(prepared.bounds, prepared.split, 1_000_000) == lam


def test_a_contributor_with_a_floor_and_no_weight_gets_its_floor() -> None:
    # Ideal A 1,000,000; B has no patent but a floor of 1,000 -> A gets 999,000.
    inp = pool(
        [Contributor("A"), Contributor("B", min_amount_minor=1_000)],
        patents("A", "CN", 1),
        [line("L", 1_000_000, "CN"), line("M", 0, "CN")],
    )
    result = allocate(inp)
    assert amounts(result) == {"A": 999_000, "B": 1_000}
    assert dict(result.contributors[1].by_country) == {"CN": 1_000}
    check_invariants(result)


def test_a_floor_and_a_cap_that_balance_at_lambda_one_still_bind() -> None:
    """Found by hypothesis: `aa` (no patents) is lifted to its floor of 142 and `ab` (the only
    JP patent) is cut to its 35 % cap, and the two moves cancel out, so the clip rule's lambda
    is exactly 1. The amounts must still follow the clipped targets, not the unconstrained
    split (which gave `ab` all 1,055 of the JP money)."""

    def royalty(ident: str, country: str, amount: int) -> RoyaltyLine:
        return RoyaltyLine(
            id=ident,
            usage_start=datetime.date(2025, 1, 1),
            usage_end=datetime.date(2025, 4, 1),
            country_of_sale=country,
            country_of_manufacture="CN",
            amount_minor=amount,
        )

    def patent(ident: str, owner: str, country: str) -> Patent:
        return Patent(id=ident, contributor=owner, country=country, grade="A", tier="1")

    inp = AllocationInput(
        currency="USD",
        admin_fee_rate=Decimal("0.125"),
        method="patent_count",
        contributors=(
            Contributor(id="a"),
            Contributor(id="aa", min_amount_minor=142),
            Contributor(id="ab", max_share=Decimal("0.35")),
        ),
        patents=(patent("CN-1", "a", "CN"), patent("DE-1", "a", "DE"), patent("JP-1", "ab", "JP")),
        royalties=(royalty("L0", "CN", 1776), royalty("L1", "JP", 182), royalty("L2", "JP", 1024)),
    )
    assert solve(prepare(inp)).value == 1
    result = allocate(inp)
    check_invariants(result)
    assert amounts(result) == {"a": 1554, "aa": 142, "ab": 913}
