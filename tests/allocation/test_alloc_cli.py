"""`patentpool allocate`: in-process through run_scenario_file, and end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import allocation.outcome.command
from allocation import RoundingError
from allocation.outcome.command import EXIT_DOMAIN, EXIT_INVALID, run_scenario_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "scenario.json"
PATENTPOOL = Path(sys.executable).parent / "patentpool"


def write(tmp_path: Path, data: Any) -> Path:
    target = tmp_path / "scenario.json"
    target.write_text(data if isinstance(data, str) else json.dumps(data))
    return target


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text())
    return data


def test_text_output_shows_major_units_and_the_run() -> None:
    output, code = run_scenario_file(EXAMPLE, as_json=False, explain=False)
    words = " ".join(output.split())
    assert code == 0
    assert "received 108,333.33 administrator fee 10,833.33 distributable 97,500.00" in words
    assert "acme 39,000.00 40.00% CN 31,909.09, US 7,090.91" in words
    assert "beta-univ 20,782.90 21.32% CN 19,305.33, US 1,477.57" in words
    assert "solver HiGHS (Optimal)" in words


def test_explained_text_output_shows_weights_and_binding_constraints() -> None:
    output, code = run_scenario_file(EXAMPLE, as_json=False, explain=True)
    assert code == 0
    assert "Explanation (lambda = 1.642105)" in output
    assert "acme: ideal 61875.000000, target 39000.000000, binding cap, rounding 0.0000" in output
    assert (
        "beta-univ: ideal 12656.250000, target 20782.894737, binding none, rounding 0.5263"
        in output
    )
    assert "CN 2025-01-01..2025-04-01: weight 4.0000 of 5.6889; share 0.703125" in output


def test_json_output_has_exactly_the_documented_keys() -> None:
    output, code = run_scenario_file(EXAMPLE, as_json=True, explain=False)
    data = json.loads(output)
    assert code == 0
    assert list(data) == [
        "currency",
        "received_minor",
        "admin_fee_minor",
        "distributable_minor",
        "countries",
        "contributors",
        "run",
    ]
    assert list(data["contributors"][0]) == ["id", "amount_minor", "by_country"]
    assert list(data["run"]) == ["formula_version", "input_sha256", "solver", "status"]
    assert data["contributors"][0] == {
        "id": "acme",
        "amount_minor": 3_900_000,
        "by_country": {"CN": 3_190_909, "US": 709_091},
    }


@pytest.mark.parametrize(
    ("content", "code", "expected"),
    [
        (b"\xff\xfe not utf-8", EXIT_INVALID, "cannot read the scenario"),
        (b'{"currency": ', EXIT_INVALID, "$: invalid JSON at line 1 column 14"),
        (b'{"currency": "USD"}', EXIT_INVALID, "$.admin_fee_rate: is required"),
    ],
)
def test_unreadable_and_malformed_files(
    tmp_path: Path, content: bytes, code: int, expected: str
) -> None:
    target = tmp_path / "scenario.json"
    target.write_bytes(content)
    output, exit_code = run_scenario_file(target, as_json=True, explain=False)
    assert exit_code == code
    assert output.startswith(f"{target}: {expected}")


def test_a_missing_file(tmp_path: Path) -> None:
    output, code = run_scenario_file(tmp_path / "nope.json", as_json=False, explain=False)
    assert code == EXIT_INVALID
    assert "cannot read the scenario" in output
    assert "No such file" in output


def test_a_domain_validation_error_names_its_path(tmp_path: Path) -> None:
    data = example()
    data["royalties"][2]["usage_end"] = "2024-12-01"
    output, code = run_scenario_file(write(tmp_path, data), as_json=False, explain=False)
    assert code == EXIT_INVALID
    assert output.endswith("scenario.json: $.royalties[2].usage_end: must be after usage_start")


def test_an_unbucketable_royalty_line_names_its_path(tmp_path: Path) -> None:
    data = example()
    data["royalties"][2]["country_of_manufacture"] = "JP"
    output, code = run_scenario_file(write(tmp_path, data), as_json=False, explain=False)
    assert code == EXIT_DOMAIN
    assert "$.royalties[2]: royalty line 'Q1-FR-mobile'" in output


@pytest.mark.parametrize(
    ("change", "paths"),
    [
        (  # floors above the distributable amount
            {1: {"min_amount_minor": 9_000_000}, 2: {"min_amount_minor": 900_000}},
            "$.contributors[1].min_amount_minor, $.contributors[2].min_amount_minor: the floors",
        ),
        (  # caps below it: everyone with a weight is capped at 20 %
            {i: {"max_share": "0.20"} for i in range(4)},
            "$.contributors[0].max_share, $.contributors[1].max_share, "
            "$.contributors[2].max_share, $.contributors[3].max_share: the caps allow at most",
        ),
        (  # one contributor's floor above its own cap
            {2: {"max_share": "0.01", "min_amount_minor": 100_000}},
            "$.contributors[2].min_amount_minor, $.contributors[2].max_share: the floor of cathay",
        ),
    ],
)
def test_infeasible_constraints_name_their_paths(
    tmp_path: Path, change: dict[int, dict[str, Any]], paths: str
) -> None:
    data = example()
    for index, fields in change.items():
        data["contributors"][index].update(fields)
    output, code = run_scenario_file(write(tmp_path, data), as_json=False, explain=False)
    assert code == EXIT_DOMAIN
    assert f"scenario.json: {paths}" in output


def test_an_unexpected_allocation_error_is_reported_not_raised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RoundingError("the column totals cannot all be met")

    monkeypatch.setattr(allocation.outcome.command, "allocate", broken)
    output, code = run_scenario_file(EXAMPLE, as_json=False, explain=False)
    assert code == EXIT_DOMAIN
    assert output.endswith("$: the column totals cannot all be met")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PATENTPOOL), "allocate", *args], capture_output=True, text=True, check=False
    )


def test_end_to_end_json_is_clean_and_identical_across_runs() -> None:
    first = _cli(str(EXAMPLE), "--json", "--explain")
    second = _cli(str(EXAMPLE), "--json", "--explain")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout  # byte-identical, and no solver banner in it
    data = json.loads(first.stdout)
    assert data["run"]["solver"] == "HiGHS"
    assert data["explain"]["lambda"] == "156/95"
    assert sum(c["amount_minor"] for c in data["contributors"]) == data["distributable_minor"]


def test_end_to_end_errors_go_to_stderr_with_a_non_zero_exit(tmp_path: Path) -> None:
    data = example()
    data["royalties"][1]["amount_minor"] = -1
    done = _cli(str(write(tmp_path, data)))
    assert done.returncode == EXIT_INVALID
    assert done.stdout == ""
    assert "$.royalties[1].amount_minor: must not be negative" in done.stderr
    assert "Traceback" not in done.stderr
