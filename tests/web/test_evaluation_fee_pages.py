"""Evaluation fees over real HTTP (issue 19): the contributor's list and the fee with how
to pay it, the invoice document naming the patent evaluated (no agreement, no usage period)
and its PDF, the fee paid once the administrator records the transfer, and the pages in
Chinese; the administrator's assignment page naming the fee before the first assignment and
its invoice after, and the invoice list narrowed to what invoices are for."""

from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution.regrade_kit import pool_of_three
from tests.pool.evaluation.fee_kit import charged_patent
from tests.pool.evaluation.kit import API, patent_under_evaluation
from tests.web.conftest import sign_in

BASE = "/contributor/evaluation-fees"


def test_the_contributor_reads_its_fee_and_sees_it_paid(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    ids = charged_patent(client, world, clock)
    number = client.get(f"{API}/patents/{ids['patent']}", headers=world.admin.headers).json()[
        "number"
    ]
    sign_in(client, "uni@example.org")
    home = client.get("/").text
    assert f'href="{BASE}"' in home  # in the contributor's menu
    listed = client.get(BASE).text
    for shown in (number, "$1,500.00", "Not yet due"):
        assert shown in listed, shown
    fee = client.get(f"{BASE}/{ids['uni_fee']}").text
    invoice_number = client.get(
        f"{API}/invoices/{ids['uni_fee']}", headers=world.admin.headers
    ).json()["number"]
    for shown in ("How to pay", f"<code>{invoice_number}</code>", number, "Jun 9, 2025"):
        assert shown in fee, shown

    document = client.get(f"{BASE}/{ids['uni_fee']}/document")
    assert document.status_code == 200
    assert "Patent evaluated" in document.text
    assert number in document.text
    assert "Usage period" not in document.text
    assert "Agreement" not in document.text
    assert f'href="{BASE}/{ids["uni_fee"]}"' in document.text  # back to the fee
    assert f"Evaluation of patent {number}, begun on" in document.text
    pdf = client.get(f"{BASE}/{ids['uni_fee']}/document.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert invoice_number in pdf.headers["content-disposition"]

    paid = client.post(
        f"{API}/pools/{world.pool_id}/payments",
        json={"licensee_organisation_id": world.contributor.organisation_id,
              "reference": invoice_number, "amount_minor": 150_000, "currency": "USD",
              "received_on": "2025-05-10"},
        headers=world.admin.headers,
    )  # fmt: skip
    assert paid.status_code == 201, paid.text
    after = client.get(f"{BASE}/{ids['uni_fee']}").text
    assert 'data-state="paid"' in after
    assert "How to pay" not in after


def test_the_fee_pages_in_chinese(client: TestClient, world: World, clock: FakeClock) -> None:
    ids = charged_patent(client, world, clock)
    sign_in(client, "uni@example.org")
    client.cookies.set("lang", "zh")
    for url in (BASE, f"{BASE}/{ids['uni_fee']}"):
        text = client.get(url, headers={"Accept-Language": "zh-CN"}).text
        assert "评估费" in text, url


def test_the_assignment_page_names_the_fee_before_and_its_invoice_after(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    client.patch(f"{API}/pools/{world.pool_id}", json={"evaluation_fee_minor": 150_000},
                 headers=world.admin.headers)  # fmt: skip
    patent = patent_under_evaluation(client, world)
    sign_in(client, "admin@example.org")
    before = client.get(f"/admin/patents/{patent}/evaluation").text
    assert "the owner is invoiced the pool's evaluation fee of $1,500.00" in before
    assert 'id="fee-invoice"' not in before
    ids = charged_patent(client, world, clock, patent=patent)
    number = client.get(f"{API}/invoices/{ids['uni_fee']}", headers=world.admin.headers).json()[
        "number"
    ]
    after = client.get(f"/admin/patents/{patent}/evaluation").text
    assert 'id="fee-note"' not in after
    assert f'href="/admin/invoices?q={number}">{number}</a> · ' in after


def test_the_administrators_invoice_list_narrows_to_what_invoices_are_for(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    pool_of_three(client, engine, world, clock)  # the licensee's Q1 royalties: INV-000001
    charged_patent(client, world, clock)  # Uni A's evaluation fee: INV-000002
    sign_in(client, "admin@example.org")
    shown = {}
    for kind in ("", "royalty", "evaluation_fee", "entry_fee"):
        page = client.get("/admin/invoices", params={"kind": kind}).text
        shown[kind] = [n for n in ("INV-000001", "INV-000002") if f">{n}<br>" in page]
    assert shown == {
        "": ["INV-000001", "INV-000002"],
        "royalty": ["INV-000001"],
        "evaluation_fee": ["INV-000002"],
        "entry_fee": [],
    }
    fees = client.get("/admin/invoices", params={"kind": "evaluation_fee"}).text
    assert '<span class="muted">Evaluation fee</span>' in fees
    csv = client.get("/admin/invoices", params={"kind": "evaluation_fee", "format": "csv"}).text
    assert [line.split(",")[1] for line in csv.splitlines()[1:]] == ["INV-000002"]
