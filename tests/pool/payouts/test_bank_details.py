"""A contributor's bank details: an IBAN and BIC checked by schwifty, or a Chinese account
with its bank and CNAPS code; refused input names its field and stores nothing; audited."""

from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.models.audit import AuditEvent
from tests.pool.conftest import World
from tests.pool.payouts import kit


def _put(client: TestClient, world: World, body: dict[str, Any]) -> Any:
    org = world.contributor.organisation_id
    return client.put(
        f"{kit.API}/organisations/{org}/bank-details", json=body, headers=world.contributor.headers
    )


def test_an_iban_is_stored_compact_and_the_change_audited(
    client: TestClient, engine: Engine, world: World
) -> None:
    r = _put(client, world, {**kit.IBAN, "bank_name": "ignored for an IBAN"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["iban"], body["bic"], body["bank_name"]) == (
        "DE89370400440532013000", "COBADEFFXXX", None,
    )  # fmt: skip
    r = _put(client, world, kit.CN)
    assert r.json()["cnaps_code"] == "102100099996"
    assert r.json()["account_number"] == "6222020200001234567"
    assert r.json()["iban"] is None
    with Session(engine) as s:
        events = s.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "organisation.bank_details_set")
            .order_by(col(AuditEvent.id))
        ).all()
    assert [e.before is None for e in events] == [True, False]
    assert events[1].before["iban"] == "DE89370400440532013000"  # type: ignore[index]
    assert events[1].after["cnaps_code"] == "102100099996"  # type: ignore[index]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**kit.IBAN, "iban": "DE89 3704 0044 0532 0130 01"}, "iban"),
        ({**kit.IBAN, "bic": "COBAXXFF"}, "bic"),
        ({**kit.IBAN, "bic": ""}, "bic"),
        ({**kit.CN, "cnaps_code": "10210009999"}, "cnaps_code"),
        ({**kit.CN, "account_number": "6222-ABC"}, "account_number"),
        ({**kit.CN, "bank_name": " "}, "bank_name"),
        ({**kit.CN, "scheme": "swift"}, "scheme"),
        ({**kit.CN, "account_holder": ""}, "account_holder"),
    ],
)
def test_bad_bank_details_are_refused_naming_the_field(
    client: TestClient, world: World, body: dict[str, Any], field: str
) -> None:
    r = _put(client, world, body)
    assert r.status_code in (400, 422), r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in {e.get("field") for e in r.json()["errors"]} | {
        e.get("key") for e in r.json()["errors"]
    }, r.text
    org = world.contributor.organisation_id
    read = client.get(
        f"{kit.API}/organisations/{org}/bank-details", headers=world.contributor.headers
    )
    assert (read.status_code, read.json()) == (200, None)  # nothing stored
