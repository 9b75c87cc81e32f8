"""The scenario file format: parsing, path-naming errors, and the JSON Schema in docs/."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from allocation import InvalidInput, allocate, loads_scenario, parse_scenario

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXAMPLE = DOCS / "examples" / "scenario.json"


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text())
    return data


def test_the_example_scenario_parses_into_typed_values() -> None:
    inp = loads_scenario(EXAMPLE.read_text())
    assert inp.currency == "USD"
    assert inp.admin_fee_rate == Decimal("0.10")
    assert inp.grade_points == {"A": Decimal("3"), "B": Decimal("2"), "C": Decimal("1")}
    assert inp.contributors[0].max_share == Decimal("0.40")
    assert inp.contributors[1].min_amount_minor == 50000
    assert inp.contributors[2].max_share is None
    cathay = inp.patents[3]
    assert cathay.in_force == ((date(2025, 3, 1), None),)
    assert inp.patents[0].in_force is None
    assert inp.royalties[2].country_of_manufacture == "DE"
    assert allocate(inp).distributable_minor == 9_750_000


def _mutated(change: Any) -> str:
    data = copy.deepcopy(example())
    change(data)
    return json.dumps(data)


def _set(path: list[Any], value: Any) -> Any:
    def change(data: Any) -> None:
        for key in path[:-1]:
            data = data[key]
        data[path[-1]] = value

    return change


def _delete(path: list[Any]) -> Any:
    def change(data: Any) -> None:
        for key in path[:-1]:
            data = data[key]
        del data[path[-1]]

    return change


CASES = [
    ('{"currency": "USD",', "$"),
    ('{"currency": "USD", "currency": "EUR"}', "$"),
    ('{"admin_fee_rate": NaN}', "$"),
    ("[]", "$"),
    (_mutated(_set(["colour"], "red")), "$.colour"),
    (_mutated(_delete(["method"])), "$.method"),
    (_mutated(_set(["format_version"], "2")), "$.format_version"),
    (_mutated(_set(["currency"], 840)), "$.currency"),
    (_mutated(_set(["currency"], "usd")), "$.currency"),
    (_mutated(_set(["admin_fee_rate"], 0.1)), "$.admin_fee_rate"),
    (_mutated(_set(["admin_fee_rate"], "10%")), "$.admin_fee_rate"),
    (_mutated(_set(["grade_points"], ["A"])), "$.grade_points"),
    (_mutated(_set(["grade_points", "B"], "0")), "$.grade_points.B"),
    (_mutated(_set(["contributors"], {"id": "x"})), "$.contributors"),
    (_mutated(_set(["contributors", 2], "cathay")), "$.contributors[2]"),
    (_mutated(_set(["contributors", 2, "share"], "0.1")), "$.contributors[2].share"),
    (_mutated(_delete(["contributors", 2, "id"])), "$.contributors[2].id"),
    (
        _mutated(_set(["contributors", 1, "min_amount_minor"], "5")),
        "$.contributors[1].min_amount_minor",
    ),
    (_mutated(_set(["contributors", 0, "max_share"], "2")), "$.contributors[0].max_share"),
    (_mutated(_set(["patents", 1, "in_force"], [["2025-01-01"]])), "$.patents[1].in_force[0]"),
    (_mutated(_set(["patents", 1, "in_force"], "always")), "$.patents[1].in_force"),
    (_mutated(_set(["patents", 1, "in_force", 0, 1], "2025-02-30")), "$.patents[1].in_force[0][1]"),
    (_mutated(_set(["patents", 1, "in_force", 0, 0], "2025/01/01")), "$.patents[1].in_force[0][0]"),
    (_mutated(_set(["patents", 1, "grade"], 2)), "$.patents[1].grade"),
    (_mutated(_set(["patents", 1, "grade"], "Z")), "$.patents[1].grade"),
    (_mutated(_set(["patents", 1, "contributor"], "nobody")), "$.patents[1].contributor"),
    (_mutated(_set(["royalties", 2, "usage_end"], "2024-12-31")), "$.royalties[2].usage_end"),
    (_mutated(_set(["royalties", 2, "amount_minor"], "333333")), "$.royalties[2].amount_minor"),
    (_mutated(_set(["royalties", 2, "amount_minor"], 3.5)), "$.royalties[2].amount_minor"),
    (_mutated(_delete(["royalties", 2, "country_of_sale"])), "$.royalties[2].country_of_sale"),
    (
        _mutated(_set(["royalties", 2, "country_of_sale"], "France")),
        "$.royalties[2].country_of_sale",
    ),
]


@pytest.mark.parametrize(
    ("text", "path"), CASES, ids=[f"{i}:{p}" for i, (_, p) in enumerate(CASES)]
)
def test_scenario_errors_name_the_json_path(text: str, path: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        allocate(loads_scenario(text))
    assert caught.value.path == path


def test_a_json_syntax_error_says_where() -> None:
    with pytest.raises(InvalidInput) as caught:
        loads_scenario('{\n  "currency": "USD",\n}')
    assert caught.value.message.startswith("invalid JSON at line 3 column 1")


def test_optional_fields_may_be_omitted_or_null() -> None:
    data = example()
    data.pop("format_version")
    data["contributors"][0]["max_share"] = None
    data["patents"][0]["in_force"] = None
    data["patents"][0].pop("grade")
    data["method"] = "patent_count"
    inp = parse_scenario(data)
    assert inp.contributors[0].max_share is None
    assert inp.patents[0].grade is None
    assert inp.tier_shares == {}


def test_the_example_is_valid_against_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((DOCS / "scenario.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(example())
