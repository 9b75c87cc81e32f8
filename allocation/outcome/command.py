"""``patentpool allocate SCENARIO``: run a scenario file and format the outcome.

Never raises for a bad file: every problem becomes a message that names the JSON path at
fault, with a non-zero exit code (2: the file is unreadable or invalid, 3: the scenario is
valid but cannot be allocated: an unbucketable royalty line or floors/caps that cannot all
hold).
"""

from __future__ import annotations

from pathlib import Path

from allocation.engine import allocate
from allocation.errors import (
    AllocationError,
    InfeasibleConstraints,
    InvalidInput,
    UnbucketableRoyalty,
)
from allocation.model import AllocationInput
from allocation.outcome.output import dumps
from allocation.outcome.render import render_text
from allocation.scenario import loads_scenario

EXIT_INVALID = 2
EXIT_DOMAIN = 3


def run_scenario_file(path: Path, *, as_json: bool, explain: bool) -> tuple[str, int]:
    """Allocate the scenario in ``path``; returns the text to print and the exit code."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return f"{path}: cannot read the scenario: {exc}", EXIT_INVALID
    try:
        inp = loads_scenario(text)
    except InvalidInput as exc:
        return f"{path}: {exc.path}: {exc.message}", EXIT_INVALID
    try:
        result = allocate(inp)
    except InvalidInput as exc:
        return f"{path}: {exc.path}: {exc.message}", EXIT_INVALID
    except UnbucketableRoyalty as exc:
        return f"{path}: {_royalty_path(inp, exc.royalty_id)}: {exc}", EXIT_DOMAIN
    except InfeasibleConstraints as exc:
        return f"{path}: {_constraint_paths(inp, exc)}: {exc}", EXIT_DOMAIN
    except AllocationError as exc:
        return f"{path}: $: {exc}", EXIT_DOMAIN
    if as_json:
        return dumps(result, explain=explain), 0
    return render_text(result, explain=explain), 0


def _royalty_path(inp: AllocationInput, royalty_id: str) -> str:
    index = next(i for i, line in enumerate(inp.royalties) if line.id == royalty_id)
    return f"$.royalties[{index}]"


def _constraint_paths(inp: AllocationInput, exc: InfeasibleConstraints) -> str:
    """The JSON paths of the constraints in conflict, e.g. ``$.contributors[0].max_share``."""
    position = {c.id: i for i, c in enumerate(inp.contributors)}
    field = {"floor": "min_amount_minor", "cap": "max_share"}
    return ", ".join(
        f"$.contributors[{position[c.contributor_id]}].{field[c.kind]}" for c in exc.constraints
    )
