"""`/admin/licensees` over real HTTP (issue 17): a pool's licensees searched by name or USCC,
filtered by size class, country, agreement state and standing (overdue today by the position
service; good: nothing overdue and no report missing), sorted by name, size, amount invoiced
and still owed, paged with its filters and the pool kept, exported as CSV in major units;
staff only, and in Chinese."""

from datetime import UTC, date, datetime

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.db import session_scope
from pool.models.licensing import LicenceAgreement
from pool.models.organisation import Organisation
from pool.models.reporting import UsageReport
from tests.pool.billing import kit
from tests.web.conftest import World, sign_in
from tests.web.lists_kit import csv_rows, links, row_ids, visible_text

# the clock reads 2 June 2025


def licensees(engine: Engine, world: World) -> tuple[int, int]:
    """SME L (small, USCC set): $120.50 overdue since 1 May, no report; Big M (large): its Q1
    report filed, $80 invoiced and paid, agreement suspended."""
    sme, big = world.licensee.organisation_id or 0, world.other_licensee.organisation_id or 0
    with session_scope(engine) as s:
        deals = {
            sme: kit.agreement(s, pool_id=world.pool_id, licensee_id=sme),
            big: kit.agreement(s, pool_id=world.pool_id, licensee_id=big),
        }
        usage = (date(2025, 1, 1), date(2025, 4, 1))
        kit.invoice(s, agreement_id=deals[sme], number="INV-SME", usage=usage,
                    issued_on=date(2025, 4, 2), parts=[(date(2025, 5, 1), 120_50)])  # fmt: skip
        kit.invoice(s, agreement_id=deals[big], number="INV-BIG", usage=usage,
                    issued_on=date(2025, 4, 2), parts=[(date(2025, 5, 1), 80_00)])  # fmt: skip
        kit.pay(s, world, reference="P-BIG", amount_minor=80_00, on=date(2025, 4, 20), payer=big)
        s.add(UsageReport(
            agreement_id=deals[big], licensee_organisation_id=big, period_start=usage[0],
            period_end=usage[1], is_nil=True, content_sha256="0" * 64,
            submitted_at=datetime(2025, 4, 10, tzinfo=UTC),
        ))  # fmt: skip
        suspended = s.get(LicenceAgreement, deals[big])
        assert suspended is not None
        suspended.state = "suspended"
        org = s.get(Organisation, sme)
        assert org is not None
        org.uscc, org.country = "91110000MA0012345X", "CN"
    return sme, big


def test_filters_sorts_and_csv(client: TestClient, engine: Engine, world: World) -> None:
    sme, big = licensees(engine, world)
    sign_in(client, "admin@example.org")
    base = f"/admin/licensees?pool={world.pool_id}"

    def shown(query: str = "") -> list[int]:
        response = client.get(f"{base}&{query}")
        assert response.status_code == 200, query
        return row_ids(response.text, "licensee")

    assert shown() == [big, sme]  # by name
    assert client.get("/admin/licensees").status_code == 200  # the first pool
    assert shown("q=sme") == [sme]
    assert shown("q=ma0012345") == [sme]  # USCC
    assert shown("size=small") == [sme]
    assert shown("size=large") == [big]
    assert shown("country=cn") == [sme]
    assert shown("country=US") == [big]
    assert shown("state=suspended") == [big]
    assert shown("state=active") == [sme]
    assert shown("standing=overdue") == [sme]
    assert shown("standing=good") == [big]
    assert shown("sort=-size") == [big, sme]
    assert shown("sort=size") == [sme, big]
    assert shown("sort=-invoiced") == [sme, big]
    assert shown("sort=owed") == [big, sme]
    for junk in ("size=huge", "state=lost", "standing=bad", "sort=uscc", "page=y"):
        assert shown(junk) == [big, sme], junk
    html = client.get(base).text
    assert "$120.50" in html
    assert "Overdue" in html

    rows = csv_rows(client.get(f"{base}&standing=overdue&format=csv"))
    assert [int(r["organisation"]) for r in rows] == [sme]
    assert (rows[0]["currency"], rows[0]["invoiced"], rows[0]["owed"], rows[0]["overdue"]) == (
        "USD", "120.50", "120.50", "yes")  # fmt: skip
    assert rows[0]["uscc"] == "91110000MA0012345X"
    every = csv_rows(client.get(f"{base}&format=csv"))
    assert [(r["name"], r["owed"], r["agreement_states"]) for r in every] == [
        ("Big M", "0.00", "suspended"), ("SME L", "120.50", "active")]  # fmt: skip
    (download,) = set(links(client.get(f"{base}&size=large").text, "Download CSV"))
    assert f"pool={world.pool_id}" in download
    assert [int(r["organisation"]) for r in csv_rows(client.get(download))] == [big]


def test_pages_keep_the_filters_and_the_pool(
    client: TestClient, engine: Engine, world: World
) -> None:
    with session_scope(engine) as s:
        for n in range(52):
            org = Organisation(name=f"Maker {n:02}", kind="private_company", country="DE",
                               created_at=kit.NOW)  # fmt: skip
            s.add(org)
            s.flush()
            kit.agreement(s, pool_id=world.pool_id, licensee_id=org.id or 0)
    sign_in(client, "admin@example.org")
    first = client.get(f"/admin/licensees?pool={world.pool_id}&country=DE&sort=-name")
    assert len(row_ids(first.text, "licensee")) == 50
    (second,) = set(links(first.text, "Next page"))
    assert "country=DE" in second
    assert f"pool={world.pool_id}" in second
    assert len(row_ids(client.get(second).text, "licensee")) == 2


@pytest.mark.parametrize("email", ["sme@example.org", "big@example.org", "uni@example.org",
                                   "lab@example.org"])  # fmt: skip
def test_no_other_role_lists_licensees(
    client: TestClient, engine: Engine, world: World, email: str
) -> None:
    licensees(engine, world)
    sign_in(client, email)
    assert 'href="/admin/licensees"' not in client.get("/").text
    for url in ("/admin/licensees", f"/admin/licensees?pool={world.pool_id}&format=csv"):
        assert client.get(url, follow_redirects=False).status_code == 404, url


def test_in_the_menu_and_in_chinese(client: TestClient, engine: Engine, world: World) -> None:
    licensees(engine, world)
    client.cookies.set("lang", "zh-CN")
    sign_in(client, "auditor@example.org")
    assert 'href="/admin/licensees"' in client.get("/").text
    text = visible_text(client.get("/admin/licensees").text)
    assert "履约良好" in text
    for english in ("Licensees", "Name or USCC", "Size class", "Still owed", "Invoiced",
                    "Standing", "good standing", "Overdue", "Suspended", "Large", "Small",
                    "report missing", "Country"):  # fmt: skip
        assert english not in text, english
