"""The licensee's pages over real HTTP: each page shows the licensee's own data only, another
licensee's ids answer 404, other roles get no licensee page, visitors go to the login page;
reports by CSV (every bad line and column shown, nothing stored), by rows and nil in one click;
invoices, how to pay, and the account statement; CSRF on every form."""

import gc
import re
import warnings
from datetime import date

import pytest
from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.pool.licensing.helpers import accepted_patent, active, add_terms, ok, publish
from tests.pool.reporting.kit import API, Deal, cover, deal
from tests.web.conftest import World, csrf_from, post_form, sign_in

TERMS = {
    "terms_version": "v1",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [{"category": "mobile", "rate": "0.50"}],
}
HEADER = "product_id,country_of_manufacture,country_of_sale,units,net_sales_minor\n"
Q1 = "2025-01-01"


def active_deal(engine: Engine, world: World) -> Deal:
    """The licensee's active agreement (from 1 Jan 2025, $0.50 a unit, due 30 days after
    the period) with one registered product, and pool patents in force in CN and US."""
    for country in ("CN", "US"):
        cover(engine, world, country, date(2020, 1, 1))
    return deal(engine, world, royalty=TERMS)


@pytest.fixture
def mine(engine: Engine, world: World) -> Deal:
    return active_deal(engine, world)


@pytest.fixture
def theirs(engine: Engine, world: World) -> Deal:
    return deal(engine, world, royalty=TERMS, caller="other_licensee")


def count(client: TestClient, world: World, what: str) -> int:
    response = client.get(f"{API}/{what}?limit=1", headers=world.admin.headers)
    total: int = ok(response)["total"]
    return total


def upload(client: TestClient, d: Deal, content: str, period: str = Q1) -> Response:
    page = f"/licensee/agreements/{d.agreement_id}/reports/new"
    token = csrf_from(client.get(page))
    return client.post(
        f"/licensee/agreements/{d.agreement_id}/reports/upload",
        data={"_csrf_token": token, "period_start": period},
        files={"file": ("report.csv", content.encode(), "text/csv")},
        follow_redirects=False,
    )


def rows(client: TestClient, d: Deal, lines: list[dict[str, str]], period: str = Q1) -> Response:
    """The rows form: each column a repeated field, one value per row."""
    columns = ("product_id", "country_of_manufacture", "country_of_sale", "units", "net_sales")
    columns += ("upstream_paid_units", "unit_price")
    page = f"/licensee/agreements/{d.agreement_id}/reports/new"
    body: list[tuple[str, str]] = [("_csrf_token", csrf_from(client.get(page)))]
    body.append(("period_start", period))
    for line in lines:
        body += [(name, line.get(name, "")) for name in columns]
    return client.post(
        f"/licensee/agreements/{d.agreement_id}/reports",
        content="&".join(f"{k}={v}" for k, v in body).encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )


def follow(client: TestClient, response: Response) -> str:
    assert response.status_code == 303, response.text
    return client.get(response.headers["location"]).text


def main_of(html: str) -> str:
    return html.split("<main", 1)[1]


def text_of(html: str) -> str:
    """What a reader sees of the page's main part: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", main_of(html)).split())


def submitted_report(client: TestClient, d: Deal, units: int = 1000) -> tuple[int, int]:
    """A clean CSV for Q1; returns (report id, invoice id)."""
    response = upload(client, d, f"{HEADER}{d.products['mobile']},CN,US,{units},4500000\n")
    assert response.status_code == 303, response.text
    report_id = int(response.headers["location"].split("/")[3].split("?")[0])
    found = re.search(
        r'href="/licensee/invoices/(\d+)"', client.get(f"/licensee/reports/{report_id}").text
    )
    assert found
    return report_id, int(found.group(1))


# ---------------------------------------------------------------- who sees what


def own_pages(d: Deal, report_id: int, invoice_id: int) -> list[str]:
    return [
        "/licensee/agreements",
        f"/licensee/agreements/{d.agreement_id}",
        f"/licensee/agreements/{d.agreement_id}/products/new",
        f"/licensee/agreements/{d.agreement_id}/reports/new",
        "/licensee/reports",
        f"/licensee/reports/{report_id}",
        "/licensee/invoices",
        f"/licensee/invoices/{invoice_id}",
        "/licensee/account",
    ]


def test_every_licensee_page_is_the_licensees_own(
    client: TestClient, browser: TestClient, world: World, mine: Deal, theirs: Deal
) -> None:
    sign_in(client, "sme@example.org")
    report_id, invoice_id = submitted_report(client, mine)
    pages = own_pages(mine, report_id, invoice_id)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/html"), url
        assert "Big M" not in response.text, url
    sign_in(browser, "big@example.org")  # another licensee: its own lists, none of ours
    for url in pages:
        response = browser.get(url)
        if re.search(r"/\d+", url):
            assert response.status_code == 404, url
            assert "Page not found" in response.text, url
        else:
            assert response.status_code == 200, url
            assert f'/licensee/reports/{report_id}"' not in response.text, url
            assert "INV-000001" not in response.text, url
    assert browser.get(f"/licensee/account?pool_id={world.pool_id}").status_code == 200
    assert browser.get("/licensee/account?pool_id=999").status_code == 404


@pytest.mark.parametrize("email", ["uni@example.org", "admin@example.org", "auditor@example.org"])
def test_other_roles_have_no_licensee_page_and_no_link_to_one(
    client: TestClient, browser: TestClient, world: World, mine: Deal, email: str
) -> None:
    sign_in(browser, "sme@example.org")
    report_id, invoice_id = submitted_report(browser, mine)
    sign_in(client, email)
    assert "/licensee/" not in client.get("/").text
    for url in own_pages(mine, report_id, invoice_id):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-type"].startswith("text/html")
    token = csrf_from(client.get("/"))
    nil = client.post(
        f"/licensee/agreements/{mine.agreement_id}/reports/nil",
        data={"_csrf_token": token, "period_start": "2025-04-01"},
    )
    assert nil.status_code == 404


def test_visitors_are_sent_to_the_login_page(client: TestClient, world: World, mine: Deal) -> None:
    for url in own_pages(mine, 1, 1):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303, url
        assert response.headers["location"].startswith("/login?next=/licensee/"), url


def test_the_licensees_home_and_menu_link_its_pages(
    client: TestClient, world: World, mine: Deal
) -> None:
    sign_in(client, "sme@example.org")
    home = client.get("/").text
    for href in ("/licensee/agreements", "/licensee/reports", "/licensee/invoices"):
        assert f'href="{href}"' in home.split("</header>")[0], href  # the menu
    assert 'href="/licensee/account"' in main_of(home)
    assert "coming soon" not in main_of(home)


def test_every_form_needs_the_csrf_token(client: TestClient, world: World, mine: Deal) -> None:
    sign_in(client, "sme@example.org")
    client.get(f"/licensee/agreements/{mine.agreement_id}")  # the cookie, not the field
    posts = {
        "/licensee/offers/1/accept": {"confirm": "yes"},
        f"/licensee/agreements/{mine.agreement_id}/products": {"name": "X", "model": "1"},
        f"/licensee/agreements/{mine.agreement_id}/reports": {"period_start": Q1},
        f"/licensee/agreements/{mine.agreement_id}/reports/nil": {"period_start": Q1},
    }
    for url, data in posts.items():
        response = client.post(url, data=data, follow_redirects=False)
        assert response.status_code == 403, url
        assert "This form has expired" in response.text, url
    with warnings.catch_warnings():
        # Litestar closes a parsed form's files after the route; a CSRF refusal happens
        # before any route, so the refused upload's spooled file is left to the collector
        warnings.simplefilter("ignore", ResourceWarning)
        no_token = client.post(
            f"/licensee/agreements/{mine.agreement_id}/reports/upload",
            data={"period_start": Q1},
            files={"file": ("r.csv", HEADER.encode(), "text/csv")},
        )
        gc.collect()
    assert no_token.status_code == 403
    assert "This form has expired" in no_token.text
    assert count(client, world, "reports") == 0


# ---------------------------------------------------------------- agreements and products


def test_an_agreement_shows_its_terms_products_reports_and_invoices(
    client: TestClient, world: World, mine: Deal
) -> None:
    sign_in(client, "sme@example.org")
    listing = client.get("/licensee/agreements").text
    assert f'href="/licensee/agreements/{mine.agreement_id}"' in listing
    assert "Active" in listing
    html = client.get(f"/licensee/agreements/{mine.agreement_id}").text
    page = text_of(html)
    for shown in (
        "Test pool",
        "Jan 1, 2025 – Dec 31, 2027",
        "$0.50 per unit",
        "Due 30 days after the billing date",
        f"PF-{mine.agreement_id}-mobile",
        "mobile device",
        "No report yet.",
    ):
        assert shown in page, shown
    assert f'href="/licensee/agreements/{mine.agreement_id}/reports/new"' in html


def test_a_published_open_licence_is_accepted_once(client: TestClient, world: World) -> None:
    terms = add_terms(client, world)
    offer = ok(publish(client, world, terms["id"]))
    sign_in(client, "sme@example.org")
    listing = client.get("/licensee/agreements").text
    assert "Open licence on terms 2025-1" in listing
    assert "no licence agreement yet" in listing
    url = f"/licensee/offers/{offer['id']}/accept"
    unconfirmed = post_form(client, url, {}, page="/licensee/agreements")
    assert unconfirmed.status_code == 422
    assert "Tick the box" in unconfirmed.text
    accepted = post_form(client, url, {"confirm": "yes"}, page="/licensee/agreements")
    assert accepted.status_code == 303
    agreement_id = int(accepted.headers["location"].split("/")[3].split("?")[0])
    page = text_of(follow(client, accepted))
    assert "You accepted the open licence" in page
    assert "Jun 2, 2025 – Jun 1, 2028" in page  # 36 months from today
    assert "3.5% of net sales" in page
    listing = client.get("/licensee/agreements").text
    assert "Your organisation has accepted this licence" in listing
    assert f'href="/licensee/agreements/{agreement_id}"' in listing
    again = post_form(client, url, {"confirm": "yes"}, page="/licensee/agreements")
    assert again.status_code == 409
    assert f"already holds agreement {agreement_id}" in again.text
    assert count(client, world, "agreements") == 1


def test_a_product_is_registered_with_its_filing_code(client: TestClient, world: World) -> None:
    patent_id = accepted_patent(client, world, "US10123456B2")
    agreement = active(client, world, add_terms(client, world)["id"])  # mobile and TV
    sign_in(client, "sme@example.org")
    url = f"/licensee/agreements/{agreement['id']}/products"
    form = client.get(f"{url}/new").text
    assert "All 1 patent of the pool in force" in form  # no checkbox per patent
    assert f'hx-get="/pick/patents?pool={world.pool_id}"' in form
    assert '<option value="TV">TV</option>' in form
    empty = post_form(client, url, {"name": " ", "category": "mobile"}, page=f"{url}/new")
    assert empty.status_code == 422
    assert 'aria-describedby="e-name"' in empty.text
    assert 'id="e-patent_ids"' in empty.text
    data = {"name": "Phone", "model": "P1", "category": "mobile", "patent_ids": str(patent_id)}
    page = text_of(follow(client, post_form(client, url, data, page=f"{url}/new")))
    assert "The product was registered" in page
    assert f"PF-{world.pool_id}-2025-00001 Phone P1 mobile" in page
    twice = post_form(client, url, data, page=f"{url}/new")
    assert twice.status_code == 409
    assert "Phone P1 is already registered" in twice.text
    assert 'value="Phone"' in twice.text  # the form keeps what was typed
    assert count(client, world, "products") == 1


# ---------------------------------------------------------------- reports


def test_a_csv_with_errors_shows_each_bad_line_and_column_and_stores_nothing(
    client: TestClient, world: World, mine: Deal
) -> None:
    sign_in(client, "sme@example.org")
    product = mine.products["mobile"]
    bad = (
        HEADER
        + f"{product},CN,US,1000,4500000\n"  # line 2: good
        + f"{product},CN,XX,abc,100\n"  # line 3: a bad country and bad units
        + f"{product},CN,US,5,\n"  # line 4: net sales missing
        + "999,CN,US,5,10\n"  # line 5: no such product
    )
    refused = upload(client, mine, bad)
    assert refused.status_code == 422
    page = main_of(refused.text)
    assert "4 problems found in the file." in page
    assert "Nothing was saved." in page
    assert '<th scope="row" rowspan="2" class="num">3</th>' in page  # line 3 with its cells
    assert '<td class="cell-bad">XX</td>' in page
    assert '<td class="cell-bad">abc</td>' in page
    assert "&#39;XX&#39; is not an ISO 3166-1 alpha-2 code" in page
    assert "<strong>units</strong>: &#39;abc&#39; is not a whole number" in page
    assert "no registered product 999 on this agreement" in page
    assert '<td class="cell-bad"></td>' in page  # line 4: net sales missing
    assert "<strong>net_sales_minor</strong>: required" in page
    assert ">1000<" not in page  # the good line is not repeated
    assert "Traceback" not in refused.text
    assert (count(client, world, "reports"), count(client, world, "invoices")) == (0, 0)

    fixed = f"{HEADER}{product},CN,US,1000,4500000\n{product},CN,DE,20,100\n"
    accepted = upload(client, mine, fixed)
    report = follow(client, accepted)
    assert "Your report was accepted and the invoice below was issued." in report
    assert "Invoice INV-000001" in report
    assert "$510.00" in report  # 1,020 units at 0.50
    assert (count(client, world, "reports"), count(client, world, "invoices")) == (1, 1)


def test_a_csv_with_a_bad_header_or_period_is_shown_on_the_form(
    client: TestClient, world: World, mine: Deal
) -> None:
    sign_in(client, "sme@example.org")
    header = upload(client, mine, "produkt,country_of_sale\n1,US\n")  # `product`: a filing code
    assert header.status_code == 422
    assert "unknown column" in header.text
    assert "required column missing" in header.text
    assert "(the header line)" in header.text
    semicolons = upload(client, mine, "product_id;units\n1;2\n")
    assert "fields separated by semicolons, not commas" in semicolons.text
    period = upload(client, mine, f"{HEADER}1,CN,US,1,1\n", period="2025-02-01")
    assert period.status_code == 422
    assert 'id="e-period_start-upload"' in period.text
    assert "a quarterly period starts on 1 Jan, Apr, Jul, Oct" in period.text
    assert count(client, world, "reports") == 0


def test_the_rows_form_marks_each_bad_cell_and_keeps_what_was_typed(
    client: TestClient, world: World, mine: Deal
) -> None:
    sign_in(client, "sme@example.org")
    product = str(mine.products["mobile"])
    nothing = rows(client, mine, [{}, {}])
    assert nothing.status_code == 422
    assert "Enter at least one line, or send a nil report" in nothing.text
    typed = [
        {"product_id": product, "country_of_manufacture": "CN", "country_of_sale": "US",
         "units": "100", "net_sales": "4,500.00"},
        {},
        {"product_id": product, "country_of_manufacture": "CHN", "country_of_sale": "US",
         "units": "ten", "net_sales": "1.234"},
    ]  # fmt: skip
    refused = rows(client, mine, typed)
    assert refused.status_code == 422
    assert "Some lines have problems" in refused.text
    assert 'id="e-3-country_of_manufacture"' in refused.text
    assert 'id="e-3-units"' in refused.text
    assert "not a whole number" in refused.text
    assert "too many decimals for the currency" in refused.text
    assert 'value="ten"' in refused.text
    assert 'value="4,500.00"' in refused.text
    unknown = rows(client, mine, [{**typed[0], "product_id": "999"}])
    assert unknown.status_code == 422
    assert 'id="e-1-product_id"' in unknown.text
    assert "no registered product 999 on this agreement" in unknown.text
    assert count(client, world, "reports") == 0
    report = follow(client, rows(client, mine, typed[:1]))
    assert "$4,500.00" in report  # net sales typed in dollars, stored in cents
    assert "$50.00" in report  # the invoice: 100 units at 0.50


def test_a_nil_report_is_one_click_and_issues_no_invoice(
    client: TestClient, world: World, mine: Deal
) -> None:
    sign_in(client, "sme@example.org")
    waiting = client.get("/licensee/reports").text
    assert waiting.count("send a nil report") == 2  # Q1 (ended) and Q2 (running)
    nil = post_form(
        client,
        f"/licensee/agreements/{mine.agreement_id}/reports/nil",
        {"period_start": Q1},
        page="/licensee/reports",
    )
    report = follow(client, nil)
    assert "Your nil report was accepted. A nil report issues no invoice." in report
    assert "Invoice INV" not in report
    assert client.get("/licensee/reports").text.count("send a nil report") == 1
    again = post_form(
        client,
        f"/licensee/agreements/{mine.agreement_id}/reports/nil",
        {"period_start": Q1},
        page="/licensee/reports",
    )
    assert again.status_code == 409
    assert "already covers this period; send a correction" in again.text
    assert (count(client, world, "reports"), count(client, world, "invoices")) == (1, 0)


# ---------------------------------------------------------------- invoices and the account


def test_invoices_show_due_dates_what_is_paid_and_how_to_pay(
    client: TestClient, world: World, mine: Deal
) -> None:
    sign_in(client, "sme@example.org")
    _, invoice_id = submitted_report(client, mine)  # $500.00, due 30 days after 31 Mar
    invoice = client.get(f"/licensee/invoices/{invoice_id}").text
    for shown in ("INV-000001", "May 1, 2025", "$500.00", "How to pay", "<code>INV-000001</code>"):
        assert shown in invoice, shown
    assert "was due on May 1, 2025 (32 days late)" in invoice
    how_to_pay = main_of(invoice).split('id="pay"')[1].split("</section>")[0]
    assert "<form" not in how_to_pay  # a licensee does not declare payments: the pool records them
    payment = {
        "licensee_organisation_id": world.licensee.organisation_id,
        "reference": "INV-000001",
        "amount_minor": 20000,
        "currency": "USD",
        "received_on": "2025-06-01",
    }
    url = f"{API}/pools/{world.pool_id}/payments"
    ok(client.post(url, json=payment, headers=world.admin.headers))
    listing = main_of(client.get("/licensee/invoices").text)
    assert "$200.00" in listing  # paid
    assert "$300.00" in listing  # to pay
    account = main_of(client.get("/licensee/account").text)
    for shown in ("Invoice issued", "Payment received", "$300.00", "INV-000001", "Jun 1, 2025"):
        assert shown in account, shown


def test_deferred_parts_are_shown_with_their_dates(
    client: TestClient, engine: Engine, world: World
) -> None:
    cover(engine, world, "US", date(2020, 1, 1))
    later = deal(engine, world, royalty=TERMS, payment={"net_days": 30, "grace": {"months": 6}})
    sign_in(client, "sme@example.org")
    _, invoice_id = submitted_report(client, later)
    invoice = client.get(f"/licensee/invoices/{invoice_id}").text
    assert "Oct 1, 2025" in invoice  # six months after the end of Q1
    assert "Not yet due" in invoice
    account = client.get("/licensee/account").text
    assert 'id="deferred"' in account  # the "Not yet due" parts
    assert "Oct 1, 2025" in account


def test_the_pages_speak_chinese(client: TestClient, world: World, mine: Deal) -> None:
    sign_in(client, "sme@example.org")
    post_form(client, "/language", {"lang": "zh-CN", "next": "/"}, page="/")
    page = client.get(f"/licensee/agreements/{mine.agreement_id}/reports/new").text
    assert '<html lang="zh-CN">' in page
    assert "上传 CSV 文件" in page
    refused = upload(client, mine, f"{HEADER}{mine.products['mobile']},CN,US,-5,1\n")
    assert "不能为负数" in refused.text


def test_the_upload_form_is_a_multipart_form_with_its_csrf_token(
    client: TestClient, mine: Deal
) -> None:
    sign_in(client, "sme@example.org")
    html = client.get(f"/licensee/agreements/{mine.agreement_id}/reports/new").text
    action = f"/licensee/agreements/{mine.agreement_id}/reports/upload"
    form = re.search(rf'<form method="post" action="{action}"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None
    tag = form.group(0).split(">", 1)[0]
    assert 'enctype="multipart/form-data" hx-encoding="multipart/form-data"' in tag
    assert 'hx-indicator="#upload-progress"' in tag
    assert 'hx-disabled-elt="find button"' in tag
    assert form.group(1).count('name="_csrf_token"') == 1
    assert 'type="file"' in form.group(1)
