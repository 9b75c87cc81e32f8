"""What the API was seen to answer is documented: every status in the authorization tables
(every route, every role, own and others' objects, missing ones) is among the responses the
OpenAPI document lists for that operation. The document's rules are checked against the
API's behaviour here, not against themselves."""

import importlib
from collections.abc import Iterator
from pathlib import Path

from litestar.testing import TestClient

from tests.pool.api_contract.contract import load, template

TABLES = Path(__file__).resolve().parent.parent


def table_rows() -> Iterator[tuple[str, str, set[int]]]:
    """(METHOD, documented path, statuses) of every row of every authorization table."""
    for module_path in sorted(TABLES.glob("test_authorization*.py")):
        module = importlib.import_module(f"tests.pool.{module_path.stem}")
        for row in module.POLICY:
            case = row.values[0] if hasattr(row, "values") else row  # a pytest.param
            codes = getattr(case, "expect", None) or case.statuses  # by role, or a string
            statuses = set(codes.values()) if isinstance(codes, dict) else set(codes.split())
            yield case.method, template(case.route), {int(s) for s in statuses}


def test_every_status_the_authorization_tables_saw_is_documented(client: TestClient) -> None:
    document = load(client)
    undocumented: dict[tuple[str, str], set[int]] = {}
    rows = 0
    for method, path, statuses in table_rows():
        rows += 1
        listed = {int(s) for s in document["paths"][path][method.lower()]["responses"]}
        if missing := statuses - listed:
            undocumented.setdefault((method, path), set()).update(missing)
    assert undocumented == {}
    assert rows > 150  # every table was read
