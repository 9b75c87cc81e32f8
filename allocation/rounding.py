"""Controlled rounding: pick which fractional cells round up so rows and columns add up.

Every cell is first floored; a cell with a positive remainder may then get one more unit.
Row ``r`` needs ``row_need[r]`` such units (plus, for some rows, one optional unit) and
column ``c`` exactly ``col_need[c]``. This is a bipartite flow with unit capacities, solved
exactly in integers:

1. every row takes its units in its preferred cells (largest remainders first) that still
   have room, and the optional units go to the first rows of the priority list;
2. columns that got too many units pass them on along augmenting paths (a row moves a unit
   from one of its cells to another of its fractional cells) until every column is exact.

If step 2 gets stuck, the optional units chosen in step 1 were impossible together; the
rows' units are then placed one at a time (direct or along an augmenting path) and optional
units are offered in priority order, each kept only if it still fits: the greedy choice of
a maximum independent set of a gammoid, i.e. the best possible set in that order.

Every choice follows a fixed order (preferred columns, insertion order), so the result is
deterministic.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from allocation.errors import RoundingError


class _Flow:
    def __init__(self, row_cells: Sequence[Sequence[int]], col_need: Sequence[int]) -> None:
        self.cells = row_cells
        self.need = list(col_need)  # may go negative while a column holds too many units
        self.up: list[set[int]] = [set() for _ in row_cells]
        self.holders: list[dict[int, None]] = [{} for _ in col_need]

    def load(self, counts: Sequence[int]) -> None:
        """Each row takes its units in its preferred cells, skipping full columns while it
        can; columns may still end up over-full, which :meth:`rebalance` then repairs."""
        need, holders = self.need, self.holders
        for row, count in enumerate(counts):
            if not count:
                continue
            cells = self.cells[row]
            chosen = [col for col in cells if need[col] > 0][:count]
            if len(chosen) < count:
                chosen += [col for col in cells if col not in chosen][: count - len(chosen)]
            self.up[row].update(chosen)
            for col in chosen:
                holders[col][row] = None
                need[col] -= 1

    def take(self, row: int, col: int) -> None:
        self.up[row].add(col)
        self.holders[col][row] = None
        self.need[col] -= 1

    def place(self, row: int) -> bool:
        """Give ``row`` one more rounded-up cell, re-routing other rows if needed."""
        up = self.up[row]
        for col in self.cells[row]:
            if self.need[col] > 0 and col not in up:
                self.take(row, col)
                return True
        starts = {col: (-1, row) for col in self.cells[row] if col not in up}
        return self._search(starts)

    def rebalance(self) -> bool:
        """Move surplus units along augmenting paths until no column has too many."""
        while True:
            surplus = [c for c, n in enumerate(self.need) if n < 0]
            if not surplus:
                return True
            if not self._search(dict.fromkeys(surplus, (-1, -1))):
                return False

    def _search(self, starts: dict[int, tuple[int, int]]) -> bool:
        """Breadth-first search over columns from ``starts`` to a column that still needs a
        unit; applies the path found. A start marked ``(-1, row)`` is a new unit of ``row``;
        ``(-1, -1)`` is a surplus unit leaving that column."""
        pred = dict(starts)
        queue = deque(starts)
        while queue:
            col = queue.popleft()
            for other in self.holders[col]:
                taken = self.up[other]
                for nxt in self.cells[other]:
                    if nxt not in pred and nxt not in taken:
                        pred[nxt] = (col, other)
                        if self.need[nxt] > 0:
                            self._shift(pred, nxt)
                            return True
                        queue.append(nxt)
        return False

    def _shift(self, pred: dict[int, tuple[int, int]], col: int) -> None:
        """Apply the path ending in ``col``: each row on it moves one unit one step on."""
        while True:
            prev, row = pred[col]
            if row >= 0:
                self.take(row, col)
            if prev < 0:
                return
            self.up[row].discard(prev)
            del self.holders[prev][row]
            self.need[prev] += 1
            col = prev


def round_up_cells(
    row_cells: Sequence[Sequence[int]],
    row_need: Sequence[int],
    col_need: Sequence[int],
    optional: Sequence[int] = (),
    optional_count: int = 0,
) -> tuple[list[set[int]], set[int]]:
    """Choose the cells that round up.

    ``row_cells[r]`` lists the columns where row ``r`` has a fractional cell, most preferred
    first; ``optional`` lists the rows that may take one more unit, in priority order.
    Returns each row's set of rounded-up columns and the rows that received an
    optional unit. Raises :class:`RoundingError` if the margins are inconsistent.
    """
    flow = _Flow(row_cells, col_need)
    accepted = set(optional[:optional_count])
    flow.load([need + (row in accepted) for row, need in enumerate(row_need)])
    if not flow.rebalance() or any(flow.need):
        flow, accepted = _one_at_a_time(row_cells, row_need, col_need, optional, optional_count)
    return flow.up, accepted


def _one_at_a_time(
    row_cells: Sequence[Sequence[int]],
    row_need: Sequence[int],
    col_need: Sequence[int],
    optional: Sequence[int],
    optional_count: int,
) -> tuple[_Flow, set[int]]:
    flow = _Flow(row_cells, col_need)
    for row, need in enumerate(row_need):
        for _ in range(need):
            if not flow.place(row):
                raise RoundingError(f"row {row} cannot place its rounded-up units")
    accepted: set[int] = set()
    for row in optional:
        if len(accepted) == optional_count:
            break
        if flow.place(row):
            accepted.add(row)
    if len(accepted) < optional_count or any(flow.need):
        raise RoundingError("the column totals cannot all be met")
    return flow, accepted
