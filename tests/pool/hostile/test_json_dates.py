"""A date in a JSON body is YYYY-MM-DD text. Pydantic also reads a number, or digits in a
string, as Unix time, so `"effective_from": 0` made a cap from 1970-01-01 (found by the API
fuzzing step). Every date of every body the API reads is a `Day` (`pool.models.integers`):
anything else is a 422 naming the field, and nothing is written."""

import inspect
import typing
from datetime import date, datetime
from typing import Annotated, Any

import pytest
from litestar.routes import HTTPRoute
from litestar.testing import TestClient
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import Engine

from tests.pool.conftest import World
from tests.pool.deals.test_caps_and_floors import membership
from tests.pool.hostile.kit import database_state
from tests.pool.hostile.test_body_integers import API, _fields

NOT_DAYS = (0, 1_700_000_000, 1.5, True, "0", "1700000000", "2025-01-01T00:00:00", "01/02/2025")


def _models(annotation: Any, seen: set[type[BaseModel]]) -> None:
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, seen)
    for inner in typing.get_args(annotation):
        _models(inner, seen)


def _holds(annotation: Any, kind: type) -> bool:
    return annotation is kind or any(_holds(a, kind) for a in typing.get_args(annotation))


def _body_dates(client: TestClient) -> dict[str, TypeAdapter[Any]]:
    """Every date field of every model a handler reads as its body, as a validator."""
    bodies: set[type[BaseModel]] = set()
    for route in client.app.routes:
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                data = handler.parsed_fn_signature.parameters.get("data")
                if data is not None:
                    _models(data.annotation, bodies)
    found = {}
    for model in bodies:
        for name, field in model.model_fields.items():
            if _holds(field.annotation, date) or _holds(field.annotation, datetime):
                typed = field.annotation
                if field.metadata:  # a `Day` field keeps its validator here, a `Day | None` inline
                    typed = Annotated[(typed, *field.metadata)]  # type: ignore[valid-type]
                found[f"{model.__name__}.{name}"] = TypeAdapter(typed)
    return found


def test_every_date_in_a_body_is_iso_text_only(client: TestClient) -> None:
    dates = _body_dates(client)
    assert {"BoundCreate.effective_from", "PaymentCreate.received_on"} <= set(dates)
    assert len(dates) > 30
    accepted = {}
    for where, adapter in dates.items():
        assert adapter.validate_python("2025-01-31") == date(2025, 1, 31)
        for value in NOT_DAYS:
            try:
                adapter.validate_python(value)
            except ValidationError:
                continue
            accepted.setdefault(where, []).append(value)
    assert accepted == {}


def test_the_fuzzers_cap_from_a_number_is_refused(
    client: TestClient, world: World, engine: Engine
) -> None:
    member = membership(engine, world, "contributor")
    before = database_state(engine)
    for value in (0, "0", "1700000000"):
        r = client.post(
            f"{API}/memberships/{member}/bounds",
            json={"kind": "cap", "share": None, "effective_from": value},
            headers=world.admin.headers,
        )
        assert _fields(r) == {"effective_from"}, r.text
        assert "YYYY-MM-DD" in r.text
    assert database_state(engine) == before


@pytest.mark.parametrize("value", [0, 1_700_000_000, "1700000000"])
def test_a_payment_received_on_a_timestamp_is_refused(
    client: TestClient, world: World, engine: Engine, value: object
) -> None:
    before = database_state(engine)
    r = client.post(
        f"{API}/pools/{world.pool_id}/payments",
        json={
            "licensee_organisation_id": world.licensee.organisation_id,
            "reference": "BANK-1",
            "amount_minor": 100,
            "currency": "USD",
            "received_on": value,
        },
        headers=world.admin.headers,
    )
    assert _fields(r) == {"received_on"}, r.text
    assert database_state(engine) == before


def test_the_document_still_says_the_dates_are_dates(client: TestClient) -> None:
    schemas = client.get("/schema/openapi.json").json()["components"]["schemas"]
    assert schemas["BoundCreate"]["properties"]["effective_from"] == {
        "type": "string",
        "format": "date",
        "description": "Runs use the bound in force on the first day of each usage period.",
    }
