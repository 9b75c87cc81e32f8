"""Type-ahead pickers over real HTTP: a pool's licensees and organisations for staff only
(everyone else: 404, visitors: the login page), a pool's patents in force and their families
for anyone signed in; at most 20 suggestions, matched in any case; and the administrator's
record-a-payment form reading a typed name back to one licensee (several: choose among them)."""

import re

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import col, select

from pool.db import session_scope
from pool.models.billing import Payment
from pool.models.organisation import Organisation, OrganisationKind
from tests.pool.billing import kit
from tests.pool.licensing.helpers import ok
from tests.pool.reporting.kit import NOW
from tests.web.conftest import World, csrf_from, sign_in

USERS = {
    "admin": "admin@example.org",
    "auditor": "auditor@example.org",
    "licensee": "sme@example.org",
    "other_licensee": "big@example.org",
    "contributor": "uni@example.org",
    "other_contributor": "lab@example.org",
}
OPTION = re.compile(r'<option value="([^"]*)"')


@pytest.fixture
def deals(engine: Engine, world: World) -> None:
    """SME L and Big M hold agreements in the pool; 25 more licensees too."""
    with session_scope(engine) as s:
        for caller in (world.licensee, world.other_licensee):
            kit.agreement(s, pool_id=world.pool_id, licensee_id=caller.organisation_id or 0)
        for n in range(25):
            org = Organisation(name=f"Maker {n:02d}", kind=OrganisationKind.PRIVATE_COMPANY,
                               country="CN", created_at=NOW)  # fmt: skip
            s.add(org)
            s.flush()
            kit.agreement(s, pool_id=world.pool_id, licensee_id=org.id or 0)


def in_force(client: TestClient, world: World, number: str, **extra: object) -> int:
    body = {"number": number, "title": f"Video coding {number}", "filing_date": "2019-01-15",
            "grant_date": "2021-03-02", "expiry_date": "2039-01-15", **extra}  # fmt: skip
    url = f"/api/v1/pools/{world.pool_id}/patents"
    patent_id = int(ok(client.post(url, json=body, headers=world.contributor.headers))["id"])
    ok(client.post(f"/api/v1/patents/{patent_id}/evaluation", headers=world.admin.headers))
    accept = {"admitted_on": "2024-06-01"}
    ok(client.post(f"/api/v1/patents/{patent_id}/accept", json=accept, headers=world.admin.headers))
    return patent_id


def options(client: TestClient, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.text[:300])
    return OPTION.findall(response.text)


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_staff_find_a_pools_licensees_and_organisations_by_part_of_a_name(
    client: TestClient, world: World, deals: None, role: str
) -> None:
    sign_in(client, USERS[role])
    big = world.other_licensee.organisation_id
    assert options(client, f"/pick/licensees?pool={world.pool_id}&q=big") == [f"Big M (#{big})"]
    assert options(client, f"/pick/licensees?pool={world.pool_id}&licensee=bIG%20m") == [
        f"Big M (#{big})"
    ]
    many = options(client, f"/pick/licensees?pool={world.pool_id}&q=MAKER")
    assert len(many) == 20
    assert many[0].startswith("Maker 00 (#")
    assert options(client, f"/pick/licensees?pool={world.pool_id}&q=Uni") == []  # no agreement
    assert options(client, "/pick/organisations?q=uni") == [
        f"Uni A (#{world.contributor.organisation_id})"
    ]
    assert len(options(client, "/pick/organisations?q=a")) == 20
    assert client.get("/pick/licensees?pool=99999&q=big").status_code == 404


@pytest.mark.parametrize("role", ["licensee", "other_licensee", "contributor", "other_contributor"])
def test_other_roles_find_no_licensee_nor_organisation(
    client: TestClient, world: World, deals: None, role: str
) -> None:
    sign_in(client, USERS[role])
    for url in (f"/pick/licensees?pool={world.pool_id}&q=big", "/pick/organisations?q=big"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Big M" not in response.text


def test_visitors_are_sent_to_the_login_page(client: TestClient, world: World) -> None:
    for what in ("licensees", "organisations", "patents", "families"):
        response = client.get(f"/pick/{what}?pool={world.pool_id}&q=a", follow_redirects=False)
        assert response.status_code in (302, 303), what
        assert response.headers["location"].startswith("/login"), what


@pytest.mark.parametrize("role", sorted(USERS))
def test_everyone_signed_in_finds_the_patents_a_pool_has_in_force(
    client: TestClient, world: World, role: str
) -> None:
    in_force(client, world, "US10123456B2", family_id="FAM-7")
    in_force(client, world, "CN112233445A", family_id="FAM-7")
    waiting = {"number": "US9999999B1", "title": "Video coding, submitted",
               "filing_date": "2019-01-15"}  # fmt: skip
    url = f"/api/v1/pools/{world.pool_id}/patents"
    ok(client.post(url, json=waiting, headers=world.contributor.headers))
    sign_in(client, USERS[role])
    pool = world.pool_id
    assert options(client, f"/pick/patents?pool={pool}&q=VIDEO") == ["CN112233445A", "US10123456B2"]
    assert options(client, f"/pick/patents?pool={pool}&q=us101") == ["US10123456B2"]
    assert options(client, f"/pick/patents?pool={pool}&numbers=CN1,%20us101") == [
        "CN1, US10123456B2"  # a list typed as text keeps what is before the last item
    ]
    families = client.get(f"/pick/families?pool={pool}&q=fam").text
    assert '<option value="FAM-7">2 patents</option>' in families
    assert client.get("/pick/patents?pool=99999&q=a").status_code == 404


def receipt(client: TestClient, world: World, **fields: str):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/admin/payments"))
    form = {"pool_id": str(world.pool_id), "reference": "BANK-1", "amount": "70.00",
            "received_on": "2025-06-01", "_csrf_token": token, **fields}  # fmt: skip
    return client.post("/admin/payments", data=form, follow_redirects=False)


def payers(engine: Engine) -> list[int]:
    with session_scope(engine) as s:
        payments = s.exec(select(Payment).order_by(col(Payment.id)))  # PostgreSQL: no set order
        return [p.licensee_organisation_id for p in payments]


def test_a_payment_names_its_licensee_by_typing(
    client: TestClient, engine: Engine, world: World, deals: None
) -> None:
    sign_in(client, "admin@example.org")
    form = client.get("/admin/payments").text
    assert "Maker 24" not in form  # no list of every licensee on the page
    nobody = receipt(client, world, licensee="Nobody")
    assert nobody.status_code == 422
    assert 'id="e-receipt-licensee"' in nobody.text
    assert "no licensee of this pool has this name" in nobody.text
    several = receipt(client, world, licensee="maker 1")
    assert several.status_code == 422
    assert "several licensees have this name" in several.text
    assert several.text.count("(#") >= 10
    assert 'id="f-receipt-match"' in several.text
    assert payers(engine) == []
    big = world.other_licensee.organisation_id or 0
    assert receipt(client, world, licensee=f"Big M (#{big})").status_code == 303
    assert receipt(client, world, licensee="big m", reference="BANK-2").status_code == 303
    chosen = receipt(client, world, licensee="SME", licensee_organisation_id=str(
        world.licensee.organisation_id), reference="BANK-3")  # fmt: skip
    assert chosen.status_code == 303
    assert payers(engine) == [big, big, world.licensee.organisation_id]


def test_the_auditor_cannot_record_a_payment_by_name(
    client: TestClient, engine: Engine, world: World, deals: None
) -> None:
    sign_in(client, "auditor@example.org")
    assert receipt(client, world, licensee="Big M").status_code == 403
    assert payers(engine) == []
