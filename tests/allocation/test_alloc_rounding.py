"""Controlled rounding of the contributor x country matrix."""

from __future__ import annotations

import pytest
from alloc_kit import amounts, check_invariants, line, patents, pool

from allocation import RoundingError, allocate
from allocation.rounding import round_up_cells


def test_largest_remainder_gives_way_when_a_country_has_no_unit_left() -> None:
    # CN 2 cents for A, B, C (3 : 3 : 4 patents): exact 0.6, 0.6, 0.8.
    # US 1 cent for D, E (1 : 1): exact 0.5, 0.5.
    # Largest remainder on the totals would pay C, A and B, but all three hold patents in
    # CN only, and CN has 2 cents. B's unit (the third in line) passes to D, next in
    # largest-remainder order (0.5, tie with E broken by id).
    inp = pool(
        ["A", "B", "C", "D", "E"],
        patents("A", "CN", 3)
        + patents("B", "CN", 3)
        + patents("C", "CN", 4)
        + patents("D", "US", 1)
        + patents("E", "US", 1),
        [line("CN", 2, "CN"), line("US", 1, "US")],
    )
    result = allocate(inp)
    assert amounts(result) == {"A": 1, "B": 0, "C": 1, "D": 1, "E": 0}
    assert {c.id: dict(c.by_country) for c in result.contributors} == {
        "A": {"CN": 1},
        "B": {"CN": 0},
        "C": {"CN": 1},
        "D": {"US": 1},
        "E": {"US": 0},
    }
    check_invariants(result)


def test_units_move_along_an_augmenting_path() -> None:
    # Row 0 prefers column 0, row 1 can use columns 0 and 1, row 2 only column 0.
    # Columns need one unit each. Row 2 can only be served if row 1 moves to column 1.
    ups, accepted = round_up_cells([[0], [0, 1], [0]], [0, 1, 0], [1, 1], [2, 0], 1)
    assert (ups, accepted) == ([set(), {1}, {0}], {2})


def test_a_surplus_unit_can_travel_through_several_columns() -> None:
    # Columns 0, 1, 2 need one unit each. Row 0 (columns 0, 1) takes 0, row 1 (1, 2) takes
    # 1, row 2 (only 0) must take 0 too. The surplus in column 0 leaves via row 0 (0 -> 1),
    # which pushes row 1 on (1 -> 2).
    ups, _ = round_up_cells([[0, 1], [1, 2], [0]], [1, 1, 1], [1, 1, 1])
    assert ups == [{1}, {2}, {0}]


def test_rows_keep_their_preferred_cells_when_columns_have_room() -> None:
    ups, accepted = round_up_cells([[1, 0], [0, 1]], [1, 1], [1, 1])
    assert (ups, accepted) == ([{1}, {0}], set())


@pytest.mark.parametrize(
    ("cells", "row_need", "col_need", "optional", "count", "message"),
    [
        ([[0]], [1], [0], [], 0, "row 0 cannot place"),
        ([[0], [0]], [0, 0], [1], [0, 1], 2, "column totals"),
        ([[0]], [1], [1, 1], [], 0, "column totals"),
    ],
)
def test_inconsistent_totals_are_an_error_not_a_wrong_answer(
    cells: list[list[int]],
    row_need: list[int],
    col_need: list[int],
    optional: list[int],
    count: int,
    message: str,
) -> None:
    with pytest.raises(RoundingError, match=message):
        round_up_cells(cells, row_need, col_need, optional, count)
