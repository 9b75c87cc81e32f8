"""`/admin/payments/received` over real HTTP (issue 17): every payment received, searched by
reference or licensee, filtered by licensee, pool, days received and allocated or credit,
sorted by day and amount, paged with its filters, exported as CSV in major units; staff only
(a licensee's own payments are on its invoices page), and in Chinese."""

from datetime import date

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.db import session_scope
from tests.pool.billing import kit
from tests.web.conftest import World, sign_in
from tests.web.lists_kit import csv_rows, links, row_ids, visible_text


def payments(engine: Engine, world: World) -> dict[str, int]:
    """SME L owes $100 (invoice due 1 May) and pays $60 then $70 ($30 of it is credit);
    Big M pays $25 with nothing owed (all credit)."""
    sme, big = world.licensee.organisation_id or 0, world.other_licensee.organisation_id or 0
    made: dict[str, int] = {"sme": sme, "big_org": big}
    with session_scope(engine) as s:
        deal = kit.agreement(s, pool_id=world.pool_id, licensee_id=sme)
        kit.agreement(s, pool_id=world.pool_id, licensee_id=big)
        kit.invoice(s, agreement_id=deal, number="INV-1", usage=(date(2025, 1, 1),
                    date(2025, 4, 1)), issued_on=date(2025, 4, 1),
                    parts=[(date(2025, 5, 1), 100_00)])  # fmt: skip
        for name, who, amount, on in (
            ("first", sme, 60_00, date(2025, 4, 10)),
            ("second", sme, 70_00, date(2025, 5, 20)),
            ("big", big, 25_00, date(2025, 5, 1)),
        ):
            paid = kit.pay(s, world, reference=f"REF-{name.upper()}", amount_minor=amount,
                           on=on, payer=who)  # fmt: skip
            made[name] = paid.id or 0
    return made


def test_filters_sorts_and_csv(client: TestClient, engine: Engine, world: World) -> None:
    made = payments(engine, world)
    sign_in(client, "admin@example.org")
    url = "/admin/payments/received"

    def shown(query: str = "") -> list[int]:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, query
        return row_ids(response.text, "payment")

    latest = [made["second"], made["big"], made["first"]]
    assert shown() == latest
    assert shown("q=ref-big") == [made["big"]]
    assert shown("q=sme") == [made["second"], made["first"]]
    assert shown(f"licensee={made['big_org']}") == [made["big"]]
    assert shown(f"pool={world.pool_id}") == latest
    assert shown("pool=31337") == []
    assert shown("from=2025-05-01&to=2025-05-20") == [made["second"], made["big"]]
    assert shown("kind=credit") == [made["second"], made["big"]]
    assert shown("kind=allocated") == [made["first"]]
    assert shown("sort=amount") == [made["big"], made["first"], made["second"]]
    assert shown("sort=date") == latest[::-1]
    for junk in ("kind=some", "from=2025-5-1", "licensee=-1", "sort=reference", "page=0"):
        assert shown(junk) == latest, junk
    page = client.get(f"{url}?licensee={made['sme']}").text
    assert "$30.00" in page  # the second payment's credit

    rows = csv_rows(client.get(f"{url}?kind=credit&sort=amount&format=csv"))
    assert [r["reference"] for r in rows] == ["REF-BIG", "REF-SECOND"]
    assert (rows[1]["currency"], rows[1]["amount"], rows[1]["allocated"], rows[1]["credit_left"]
            ) == ("USD", "70.00", "40.00", "30.00")  # fmt: skip
    assert rows[1]["licensee"] == "SME L"
    (download,) = set(links(client.get(f"{url}?q=sme").text, "Download CSV"))
    exported = [int(r["payment"]) for r in csv_rows(client.get(download))]
    assert exported == [made["second"], made["first"]]


def test_pages_keep_the_filters(client: TestClient, engine: Engine, world: World) -> None:
    with session_scope(engine) as s:
        kit.agreement(s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0)
        for n in range(55):
            kit.pay(s, world, reference=f"BULK-{n:02}", amount_minor=100 + n,
                    on=date(2025, 3, 1))  # fmt: skip
        kit.pay(s, world, reference="OTHER", amount_minor=1, on=date(2025, 3, 1))
    sign_in(client, "admin@example.org")
    first = client.get("/admin/payments/received?q=bulk&sort=-amount")
    assert row_ids(first.text, "payment")[0] == max(row_ids(first.text, "payment"))
    (second,) = set(links(first.text, "Next page"))
    assert "q=bulk" in second
    assert len(row_ids(client.get(second).text, "payment")) == 5
    assert "/admin/payments/received" in client.get("/admin/payments").text


@pytest.mark.parametrize("email", ["sme@example.org", "big@example.org", "uni@example.org",
                                   "lab@example.org"])  # fmt: skip
def test_licensees_and_contributors_get_no_payment_list(
    client: TestClient, engine: Engine, world: World, email: str
) -> None:
    made = payments(engine, world)
    sign_in(client, email)
    for url in ("/admin/payments/received",
                f"/admin/payments/received?licensee={made['big_org']}&format=csv"):  # fmt: skip
        assert client.get(url, follow_redirects=False).status_code == 404, url


def test_in_chinese_and_for_auditors(client: TestClient, engine: Engine, world: World) -> None:
    payments(engine, world)
    client.cookies.set("lang", "zh-CN")
    sign_in(client, "auditor@example.org")
    text = visible_text(client.get("/admin/payments/received").text)
    assert "已核销" in text
    for english in ("Payments received", "Allocated", "Kept as credit", "Received on",
                    "Reference", "Amount", "Some kept", "Download CSV", "Record or"):  # fmt: skip
        assert english not in text, english
