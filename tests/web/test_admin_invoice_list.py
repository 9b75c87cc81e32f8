"""`/admin/invoices` over real HTTP (issue 17): every licensee's invoices with the state the
licensee position service gives today (not yet due, due, overdue, paid, written off), searched
by licensee or number, filtered by state, pool and year of issue, sorted by due date, amount
and licensee, paged with its filters, exported as CSV in major units; staff only."""

from datetime import date

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.db import session_scope
from pool.models.billing import WriteOffCreate
from pool.services.billing import payments
from tests.pool.billing import kit
from tests.web.conftest import World, sign_in
from tests.web.lists_kit import csv_rows, links, row_ids

# the clock reads 2 June 2025


def invoices(engine: Engine, world: World) -> dict[str, int]:
    """SME L: one not yet due, one overdue; Big M: one due today, one paid, one written off."""
    sme, big = world.licensee.organisation_id or 0, world.other_licensee.organisation_id or 0
    made = {}
    with session_scope(engine) as s:
        deals = {
            sme: kit.agreement(s, pool_id=world.pool_id, licensee_id=sme),
            big: kit.agreement(s, pool_id=world.pool_id, licensee_id=big),
        }
        for name, who, issued, due, amount in (
            ("paid", big, date(2024, 12, 1), date(2025, 1, 1), 80_00),
            ("written_off", big, date(2024, 12, 15), date(2025, 1, 15), 45_00),
            ("not_yet_due", sme, date(2025, 4, 1), date(2025, 10, 1), 300_00),
            ("overdue", sme, date(2025, 4, 2), date(2025, 5, 1), 120_50),
            ("due", big, date(2025, 5, 2), date(2025, 6, 2), 50_00),
        ):
            row = kit.invoice(
                s, agreement_id=deals[who], number=f"INV-{name.upper()}",
                usage=(date(2025, 1, 1), date(2025, 4, 1)), issued_on=issued,
                parts=[(due, amount)],
            )  # fmt: skip
            made[name] = row.id or 0
            if name == "paid":
                kit.pay(s, world, reference="P-1", amount_minor=80_00, on=date(2025, 1, 5),
                        payer=big)  # fmt: skip
            if name == "written_off":
                payments.write_off(
                    s, principal=kit.admin(world), invoice_id=made[name],
                    data=WriteOffCreate(on=date(2025, 3, 1), reason="insolvent"),
                    now=kit.recorded_on(date(2025, 3, 1)),
                )  # fmt: skip
    return made


def test_states_from_the_position_filters_sort_and_csv(
    client: TestClient, engine: Engine, world: World
) -> None:
    made = invoices(engine, world)
    sign_in(client, "admin@example.org")
    listed = client.get("/admin/invoices")
    assert listed.status_code == 200
    newest_first = ["due", "overdue", "not_yet_due", "written_off", "paid"]
    assert row_ids(listed.text, "invoice") == [made[n] for n in newest_first]
    for state in ("not_yet_due", "due", "overdue", "paid", "written_off"):
        shown = row_ids(client.get(f"/admin/invoices?status={state}").text, "invoice")
        assert shown == [made[state]], state
    assert "$120.50" in client.get("/admin/invoices?status=overdue").text
    sme = row_ids(client.get("/admin/invoices?q=sme").text, "invoice")
    assert sme == [made["overdue"], made["not_yet_due"]]
    assert row_ids(client.get("/admin/invoices?q=inv-paid").text, "invoice") == [made["paid"]]
    in_2024 = row_ids(client.get("/admin/invoices?year=2024").text, "invoice")
    assert in_2024 == [made["written_off"], made["paid"]]
    assert row_ids(client.get("/admin/invoices?year=2024&status=paid").text, "invoice") == [
        made["paid"]]  # fmt: skip
    assert row_ids(client.get(f"/admin/invoices?pool={world.pool_id}").text, "invoice")
    assert row_ids(client.get("/admin/invoices?pool=31337").text, "invoice") == []
    by_amount = row_ids(client.get("/admin/invoices?sort=-amount").text, "invoice")
    assert by_amount == [made[n] for n in ("not_yet_due", "overdue", "paid", "due", "written_off")]
    by_due = row_ids(client.get("/admin/invoices?sort=due").text, "invoice")
    assert by_due == [made[n] for n in ("paid", "written_off", "overdue", "due", "not_yet_due")]
    by_licensee = row_ids(client.get("/admin/invoices?sort=licensee").text, "invoice")
    assert by_licensee[:3] == [made["paid"], made["written_off"], made["due"]]  # Big M first
    for junk in ("status=late", "year=20x5", "year=99", "sort=total", "pool=0", "page=abc"):
        response = client.get(f"/admin/invoices?{junk}")
        assert response.status_code == 200, junk
        assert row_ids(response.text, "invoice") == row_ids(listed.text, "invoice"), junk

    rows = csv_rows(client.get("/admin/invoices?status=overdue&format=csv"))
    assert len(rows) == 1
    assert rows[0]["number"] == "INV-OVERDUE"
    assert (rows[0]["currency"], rows[0]["total"], rows[0]["outstanding"]) == (
        "USD", "120.50", "120.50")  # fmt: skip
    assert rows[0]["state"] == "overdue"
    assert rows[0]["licensee"] == "SME L"
    every = csv_rows(client.get("/admin/invoices?format=csv"))
    assert {r["state"] for r in every} == {
        "not_yet_due", "due", "overdue", "paid", "written_off"}  # fmt: skip
    (download,) = set(links(client.get("/admin/invoices?year=2024").text, "Download CSV"))
    assert [int(r["invoice"]) for r in csv_rows(client.get(download))] == in_2024


def test_the_admin_menu_links_the_invoices(client: TestClient, world: World) -> None:
    for email in ("admin@example.org", "auditor@example.org"):
        sign_in(client, email)
        assert 'href="/admin/invoices"' in client.get("/").text
        assert client.get("/admin/invoices").status_code == 200


@pytest.mark.parametrize("email", ["sme@example.org", "big@example.org", "uni@example.org",
                                   "lab@example.org"])  # fmt: skip
def test_licensees_and_contributors_get_no_invoice_list(
    client: TestClient, engine: Engine, world: World, email: str
) -> None:
    invoices(engine, world)
    sign_in(client, email)
    assert 'href="/admin/invoices"' not in client.get("/").text
    for url in ("/admin/invoices", "/admin/invoices?status=overdue&format=csv"):
        assert client.get(url, follow_redirects=False).status_code == 404, url


def test_visitors_are_sent_to_sign_in(client: TestClient, world: World) -> None:
    response = client.get("/admin/invoices?status=overdue", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/admin/invoices%3Fstatus%3Doverdue"
