"""What services give as codes and values reads in the page's language (issue 17): royalty
categories (the pool page, the agreement, the invoice, its document, the licence contract),
the reasons of review flags (the dashboard), who approved a run and how it was solved. Over
real HTTP on a real database; an administrator's own words stay as written."""

import re
from datetime import date

from litestar.testing import TestClient
from sqlalchemy import Engine, update

from pool import rendering
from pool.db import session_scope
from pool.models.organisation import Organisation
from tests.pool.licensing.helpers import API, active, add_terms, move, ok, publish
from tests.pool.reporting.kit import cover, deal, line, submit
from tests.web.conftest import World, post_form, sign_in

CATEGORIES = [
    {"category": "mobile", "rate": "1.00"},
    {"category": "IoT", "basis": "percent_of_net_sales", "percent": "1.5"},
    {"category": "Robot arms", "rate": "2.00"},  # the administrator's own name
]
TERMS = {
    "terms_version": "words",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": CATEGORIES,
}


def text_of(html: str) -> str:
    main = html.split("<main", 1)[1] if "<main" in html else html
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def in_chinese(client: TestClient) -> None:
    post_form(client, "/language", {"lang": "zh-CN", "next": "/"}, page="/")


def test_categories_read_in_the_pages_language_and_own_names_as_written(
    client: TestClient, world: World
) -> None:
    terms = add_terms(client, world, categories=CATEGORIES)
    ok(publish(client, world, terms["id"], payment_method="bank_transfer"))
    english = text_of(client.get(f"/pools/{world.pool_id}").text)
    assert "mobile" in english
    assert "IoT" in english
    assert "Robot arms" in english
    zh = client.get(f"/pools/{world.pool_id}", headers={"accept-language": "zh-CN"}).text
    chinese = text_of(zh)
    for word in ("手机及移动终端", "物联网设备", "Robot arms", "银行转账"):
        assert word in chinese, word
    for leftover in ("mobile", "IoT", "bank_transfer", "Bank transfer"):
        assert leftover not in chinese, leftover


def test_an_invoice_its_document_and_the_contract_name_categories_in_chinese(
    client: TestClient, engine: Engine, world: World
) -> None:
    cover(engine, world, "US", date(2020, 1, 1))
    mine = deal(engine, world, royalty=TERMS)
    with session_scope(engine) as s:  # the invoice document is in the licensee's language
        s.execute(update(Organisation).values(language="zh-CN"))
    receipt = submit(client, world, mine, "2025-01-01", [line(mine.products["mobile"], 110)])
    invoice_id = ok(receipt)["invoice_id"]
    sign_in(client, "sme@example.org")
    in_chinese(client)
    for page in (
        f"/licensee/invoices/{invoice_id}",
        f"/licensee/invoices/{invoice_id}/document",
        f"/licensee/agreements/{mine.agreement_id}",
    ):
        html = client.get(page).text
        assert ">手机及移动终端</td>" in html, page
        assert ">mobile</td>" not in html, page
    invoice = client.get(f"/licensee/invoices/{invoice_id}").text
    assert 'class="num">US$1.00</td>' in invoice  # the rate as money, the locale's way
    contract = client.get(
        f"{API}/agreements/{mine.agreement_id}/document",
        params={"lang": "zh-CN"},
        headers=world.admin.headers,
    ).text
    assert "<td>手机及移动终端</td>" in contract
    assert "<td>物联网设备</td>" in contract
    assert "<td>Robot arms</td>" in contract
    assert "<td>mobile</td>" not in contract
    english = client.get(
        f"{API}/agreements/{mine.agreement_id}/document",
        params={"lang": "en"},
        headers=world.admin.headers,
    ).text
    assert "<td>mobile</td>" in english
    assert "<td>IoT</td>" in english


def test_review_flags_give_their_reasons_in_chinese(client: TestClient, world: World) -> None:
    zero = add_terms(
        client,
        world,
        terms_version="zero",
        categories=[{"category": "mobile", "rate": "0"}],
        entry_fee_minor=0,
        free_units_per_year=0,
    )
    capped = add_terms(
        client, world, terms_version="capped", annual_cap_minor=50_000, entry_fee_minor=0
    )
    active(client, world, zero["id"], product_categories=["mobile"])
    active(client, world, capped["id"], product_categories=["mobile"])
    normal = add_terms(client, world, terms_version="normal")
    quit_ = active(client, world, normal["id"])
    ok(move(client, world, quit_["id"], "terminated", "2025-03-31"))
    url = f"{API}/pools/{world.pool_id}/review-flags"
    items = ok(client.get(url, headers=world.admin.headers))["items"]
    by_kind = {item["kind"]: item for item in items}
    assert by_kind["nominal_fee"]["facts"] == {
        "terms": "capped",
        "most_minor": 50000,
        "nominal_minor": 100000,
    }
    days = by_kind["early_termination"]["facts"]["days"]
    sign_in(client, "admin@example.org")
    english = text_of(client.get(f"/admin?pool={world.pool_id}").text)
    assert "terms capped charge at most $500.00 a year (below $1,000.00)" in english
    in_chinese(client)
    chinese = text_of(client.get(f"/admin?pool={world.pool_id}").text)
    for words in (
        "许可条款 zero 不收取任何费用",
        "许可条款 capped 每年最多收取 US$500.00（低于 US$1,000.00）",
        f"签署后 {days} 天即终止",
    ):
        assert words in chinese, words
    for leftover in ("charge nothing", "charge at most", "minor units", "terminated", "days"):
        assert leftover not in chinese, leftover


def test_the_services_own_jobs_and_the_closed_form_read_as_words() -> None:
    template = (
        '{% import "web/_words.html.j2" as words %}'
        "{{ words.actor(who) }} | {{ words.solver(solver) }} | {{ words.solver(status) }}"
    )
    env = rendering.environment()
    values = {"solver": "closed-form", "status": "exact"}
    with rendering.locale_of("zh_CN"):
        shown = env.from_string(template).render(who="system:scheduler", **values)
        assert shown == "调度程序（自动） | 闭式解 | 精确"
        a_person = env.from_string(template).render(who="Ann <ann@example.org>", **values)
        assert a_person.startswith("Ann &lt;ann@example.org&gt; |")
    with rendering.locale_of("en"):
        shown = env.from_string(template).render(who="system:scheduler", **values)
        assert shown == "the scheduler (automatically) | closed form | exact"
