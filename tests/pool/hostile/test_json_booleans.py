"""JSON's true and false are not integers: pydantic would have read them as 1 and 0, so a
token asked for `true` days was issued for one (found by the API fuzzing step). Each integer
of a body refuses them with a 422 naming the field, and nothing is written."""

from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.pool.conftest import World
from tests.pool.hostile.kit import database_state
from tests.pool.hostile.test_body_integers import API, _fields


def test_a_token_for_true_days_is_refused(client: TestClient, world: World, engine: Engine) -> None:
    before = database_state(engine)
    for flag in (True, False):
        r = client.post(
            f"{API}/me/tokens",
            json={"name": "ci", "expires_in_days": flag},
            headers=world.admin.headers,
        )
        assert _fields(r) == {"expires_in_days"}, r.text
    assert database_state(engine) == before


def test_booleans_for_ids_and_amounts_are_refused(
    client: TestClient, world: World, engine: Engine
) -> None:
    before = database_state(engine)
    r = client.post(
        f"{API}/pools/{world.pool_id}/payments",
        json={
            "licensee_organisation_id": True,
            "reference": "BANK-1",
            "amount_minor": True,
            "currency": "USD",
            "received_on": "2025-06-01",
        },
        headers=world.admin.headers,
    )
    assert _fields(r) == {"licensee_organisation_id", "amount_minor"}, r.text
    assert database_state(engine) == before
