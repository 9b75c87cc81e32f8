"""The pool's payee (administrators, `PUT /pools/{id}/payee`) and a licensee's fapiao request
data (the licensee itself, `PUT /organisations/{id}/fapiao`): stored as checked, every change
audited with before and after, and bad input a 422 naming the field that changes nothing."""

from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.models.audit import AuditEvent
from pool.models.organisation import FapiaoDetails
from pool.validation import InvalidIdentifier
from pool.validation.bank import grouped, validate_account_number, validate_bic, validate_cnaps
from tests.pool.conftest import World
from tests.pool.invoice_documents.kit import FAPIAO, PAYEE, USCC

API = "/api/v1"


def events(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as s:
        found = s.exec(
            select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
        )
        return list(found.all())


def put_payee(client: TestClient, world: World, body: dict[str, Any]) -> Any:
    return client.put(f"{API}/pools/{world.pool_id}/payee", json=body, headers=world.admin.headers)


def test_an_administrator_sets_the_payee_and_every_change_is_audited(
    client: TestClient, engine: Engine, world: World
) -> None:
    url = f"{API}/pools/{world.pool_id}/payee"
    assert client.get(url, headers=world.admin.headers).status_code == 404  # none yet
    first = put_payee(client, world, PAYEE)
    assert first.status_code == 200, first.text
    stored = first.json()
    assert {k: stored[k] for k in ("account_number", "swift_bic", "cnaps_code")} == {
        "account_number": "3456789012345678901",
        "swift_bic": "BKCHCNBJ110",
        "cnaps_code": "104100004013",
    }
    assert client.get(url, headers=world.auditor.headers).json() == stored
    second = put_payee(client, world, {**PAYEE, "swift_bic": None, "bank_address": ""})
    assert (second.json()["swift_bic"], second.json()["bank_address"]) == (None, None)
    set_twice = events(engine, "pool.payee_set")
    assert [(e.before is None, e.entity_id) for e in set_twice] == [
        (True, str(world.pool_id)),
        (False, str(world.pool_id)),
    ]
    before, after = set_twice[1].before or {}, set_twice[1].after or {}
    assert (before["swift_bic"], after["swift_bic"]) == ("BKCHCNBJ110", None)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"swift_bic": "BKCHCN"}, "swift_bic", "8 or 11 letters and digits"),
        ({"swift_bic": "BKCHQQBJ"}, "swift_bic", "not a country code"),
        ({"swift_bic": "BK1HCNBJ"}, "swift_bic", "8 or 11 letters and digits"),
        ({"cnaps_code": "10410000401"}, "cnaps_code", "12 digits"),
        ({"cnaps_code": "10410000401X"}, "cnaps_code", "12 digits"),
        ({"account_number": "DE89 3704 0044 0532 0130 01"}, "account_number", "check digits"),
        ({"account_number": "QQ89 3704 0044 0532 0130 00"}, "account_number", "country code"),
        ({"account_number": "ab"}, "account_number", "4 to 40"),
        ({"legal_name": "   "}, "legal_name", "at least 1"),
        ({"bank_name": None}, "bank_name", "string"),
        ({"bank_address": "x" * 301}, "bank_address", "at most 300"),
    ],
)
def test_bad_payee_details_are_refused_naming_the_field(
    client: TestClient,
    engine: Engine,
    world: World,
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    assert put_payee(client, world, PAYEE).status_code == 200
    refused = put_payee(client, world, {**PAYEE, "legal_name": "Someone else", **changes})
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    faults = refused.json()["errors"]
    assert [e["field"] for e in faults] == [field]
    assert message in faults[0]["message"]
    kept = client.get(f"{API}/pools/{world.pool_id}/payee", headers=world.admin.headers).json()
    assert kept["legal_name"] == PAYEE["legal_name"]
    assert len(events(engine, "pool.payee_set")) == 1


def test_a_licensee_keeps_its_fapiao_details_and_staff_read_them(
    client: TestClient, engine: Engine, world: World
) -> None:
    url = f"{API}/organisations/{world.licensee.organisation_id}/fapiao"
    none_yet = client.get(url, headers=world.licensee.headers)
    assert (none_yet.status_code, none_yet.json()) == (200, None)
    saved = client.put(url, json={**FAPIAO, "uscc": USCC.lower()}, headers=world.licensee.headers)
    assert saved.status_code == 200, saved.text
    assert saved.json()["uscc"] == USCC
    assert saved.json()["phone"] == "0592-555 0101"
    for caller in (world.licensee, world.admin, world.auditor):
        assert client.get(url, headers=caller.headers).json() == saved.json()
    again = client.put(url, json={**FAPIAO, "address": ""}, headers=world.licensee.headers)
    assert again.json()["address"] is None
    audited = events(engine, "organisation.fapiao_set")
    assert [e.before is None for e in audited] == [True, False]
    before, after = audited[1].before or {}, audited[1].after or {}
    assert (before["address"], after["address"]) == (FAPIAO["address"], None)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"uscc": USCC[:17] + "4"}, "uscc", "check character does not match"),
        ({"uscc": "9135010"}, "uscc", "18 characters"),
        ({"uscc": "91350100M0O0100Y43"}, "uscc", "other than I, O, S, V and Z"),
        ({"buyer_name": ""}, "buyer_name", "at least 1"),
        ({"phone": "call us"}, "phone", "a phone number is digits"),
        ({"bank_account": "none"}, "bank_account", "has digits"),
    ],
)
def test_bad_fapiao_details_are_refused_naming_the_field(
    client: TestClient,
    engine: Engine,
    world: World,
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    url = f"{API}/organisations/{world.licensee.organisation_id}/fapiao"
    assert client.put(url, json=FAPIAO, headers=world.licensee.headers).status_code == 200
    refused = client.put(url, json={**FAPIAO, **changes}, headers=world.licensee.headers)
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == [field]
    assert message in refused.json()["errors"][0]["message"]
    assert (
        client.get(url, headers=world.licensee.headers).json()["buyer_name"] == FAPIAO["buyer_name"]
    )
    assert len(events(engine, "organisation.fapiao_set")) == 1


@pytest.mark.parametrize(
    "iban",
    [
        "DE89 3704 0044 0532 0130 00",
        "GB82WEST12345698765432",
        "fr14 2004 1010 0505 0001 3m02 606",
        "CH93 0076 2011 6238 5295 7",
    ],
)
def test_ibans_are_checked_by_their_check_digits(iban: str) -> None:
    compact = validate_account_number(iban)
    assert compact == "".join(iban.split()).upper()
    assert grouped(compact).split(" ")[0] == compact[:4]
    mistyped = compact[:-1] + ("1" if compact[-1] != "1" else "2")
    with pytest.raises(InvalidIdentifier, match="check digits"):
        validate_account_number(mistyped)


def test_domestic_accounts_bics_and_cnaps_codes() -> None:
    assert validate_account_number("6222 0202 0000 1234 567") == "6222020200001234567"
    assert grouped("6222020200001234567") == "6222 0202 0000 1234 567"
    assert validate_account_number("12-345678-9") == "12-345678-9"
    assert grouped("12-345678-9") == "12-345678-9"
    assert validate_bic("deut de ff") == "DEUTDEFF"
    assert validate_bic("BKCHCNBJ110") == "BKCHCNBJ110"
    assert validate_cnaps("１０４１０００ ０４０１３") == "104100004013"  # full-width, as typed
    for bad in ("DEUTDEF", "DEUTDEFF5", "DEUTDEFF50", "DEU1DEFF", "DEUTDE_F"):
        with pytest.raises(InvalidIdentifier):
            validate_bic(bad)


def delete_fapiao(engine: Engine, organisation_id: int) -> None:
    """As if the licensee had never given any (there is no route that removes them)."""
    with Session(engine) as s:
        found = s.get(FapiaoDetails, organisation_id)
        if found is not None:
            s.delete(found)
            s.commit()
