"""The pages of invoices a finance department can pay, over real HTTP: the licensee's invoice
document (printable HTML under its own style-only CSP, and the PDF download), the links the
invoice page includes, the fapiao details on the organisation page (the licensee's), and
the pool's payee (administrators set it, auditors read it). Forms refuse bad input next to
the field, in the page's language, and save nothing; other roles find nothing here (404)."""

import base64
import hashlib
import re
from types import SimpleNamespace

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool import rendering
from pool.models import organisation
from pool.models.audit import AuditEvent
from pool.models.organisation import FapiaoDetails
from pool.models.pool import PoolPayee
from pool.validation import bank, uscc
from pool.web.messages import SERVICE_MESSAGES
from tests.pool.invoice_documents import kit
from tests.web.conftest import World, csrf_from, post_form, sign_in

EMAILS = {
    "admin": "admin@example.org",
    "auditor": "auditor@example.org",
    "contributor": "uni@example.org",
    "licensee": "sme@example.org",
    "other_licensee": "big@example.org",
}


def main_text(html: str) -> str:
    main = html.split("<main", 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def actions(engine: Engine, action: str) -> int:
    with Session(engine) as s:
        return len(s.exec(select(AuditEvent.id).where(col(AuditEvent.action) == action)).all())


# ---------------------------------------------------------------- the invoice document


def test_the_licensee_opens_its_invoice_document_and_downloads_the_pdf(
    client: TestClient, engine: Engine, world: World
) -> None:
    billed = kit.invoice(client, engine, world)
    kit.payee(client, world)
    kit.chinese(client, engine, world)
    sign_in(client, "sme@example.org")
    page = client.get(f"/licensee/invoices/{billed.invoice_id}/document")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "今日应付金额（2025年6月2日）" in page.text  # the organisation's language
    assert f'href="/licensee/invoices/{billed.invoice_id}/document.pdf"' in page.text
    css = re.search(r"<style>(.*?)</style>", page.text, re.DOTALL)
    assert css
    digest = base64.b64encode(hashlib.sha256(css.group(1).encode()).digest()).decode()
    policy = page.headers["content-security-policy"]
    assert f"style-src 'self' 'sha256-{digest}';" in policy  # that style element, nothing else
    assert "script-src 'self';" in policy
    assert page.headers["x-frame-options"] == "DENY"
    pdf = client.get(f"/licensee/invoices/{billed.invoice_id}/document.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == 'attachment; filename="INV-000001.pdf"'
    assert pdf.content.startswith(b"%PDF-")


@pytest.mark.parametrize("role", ["other_licensee", "contributor", "admin", "auditor"])
def test_nobody_else_finds_the_licensees_invoice_document(
    client: TestClient, engine: Engine, world: World, role: str
) -> None:
    billed = kit.invoice(client, engine, world)
    sign_in(client, EMAILS[role])
    for suffix in ("document", "document.pdf"):
        response = client.get(f"/licensee/invoices/{billed.invoice_id}/{suffix}")
        assert response.status_code == 404, (role, suffix)
        assert "Page not found" in response.text
    if role == "other_licensee":  # its own invoice it does open
        own = client.get(f"/licensee/invoices/{billed.other_invoice_id}/document")
        assert own.status_code == 200


def test_visitors_are_sent_to_sign_in(client: TestClient, engine: Engine, world: World) -> None:
    billed = kit.invoice(client, engine, world)
    for suffix in ("document", "document.pdf"):
        url = f"/licensee/invoices/{billed.invoice_id}/{suffix}"
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next={url}"


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_the_invoice_page_links_both_documents_through_its_partial(locale: str) -> None:
    invoice = SimpleNamespace(id=7, number="INV-000007")
    html = rendering.render_in(
        locale, "web/licensee/_invoice_document_links.html.j2", invoice=invoice
    )
    assert '<a href="/licensee/invoices/7/document" hx-boost="false">' in html
    assert (
        'href="/licensee/invoices/7/document.pdf" download="INV-000007.pdf" hx-boost="false"'
        in html
    )
    assert ("下载 PDF" if locale == "zh_CN" else "Download the PDF") in html


# ---------------------------------------------------------------- fapiao details


def save_fapiao(client: TestClient, **changes: str) -> object:
    data = {**{k: v or "" for k, v in kit.FAPIAO.items()}, **changes}
    return post_form(client, "/organisation/fapiao", data, page="/organisation")


def test_a_licensee_keeps_its_fapiao_details_on_its_organisation_page(
    client: TestClient, engine: Engine, world: World
) -> None:
    sign_in(client, "sme@example.org")
    page = client.get("/organisation").text
    assert 'action="/organisation/fapiao"' in page
    assert 'name="buyer_name" type="text" value="SME L"' in page  # its name to start from
    saved = save_fapiao(client, phone="0592 555 0101")
    assert saved.status_code == 303
    assert saved.headers["location"] == "/organisation?done=fapiao#fapiao"
    shown = client.get("/organisation?done=fapiao").text
    assert "Your fapiao details are saved." in shown
    assert 'name="phone" type="tel" value="0592 555 0101"' in shown
    with Session(engine) as s:
        stored = s.get(FapiaoDetails, world.licensee.organisation_id)
        assert stored is not None
        assert (stored.buyer_name, stored.uscc) == (kit.FAPIAO["buyer_name"], kit.USCC)
    assert actions(engine, "organisation.fapiao_set") == 1


@pytest.mark.parametrize(
    ("changes", "field", "english", "chinese"),
    [
        (
            {"uscc": kit.USCC[:17] + "4"},
            "uscc",
            "the check character does not match",
            "校验码与代码不符",
        ),
        ({"uscc": "12345"}, "uscc", "has 18 characters", "统一社会信用代码为 18 位"),
        ({"buyer_name": " "}, "buyer_name", "required", "必填"),
        ({"phone": "ask reception"}, "phone", "a phone number is digits", "电话号码应为数字"),
    ],
)
def test_bad_fapiao_details_are_shown_next_to_the_field_and_nothing_is_saved(
    client: TestClient,
    engine: Engine,
    world: World,
    changes: dict[str, str],
    field: str,
    english: str,
    chinese: str,
) -> None:
    sign_in(client, "sme@example.org")
    refused = save_fapiao(client, **changes)
    assert refused.status_code == 422
    error = re.search(rf'<p class="field-error" id="e-{field}">([^<]*)</p>', refused.text)
    assert error, refused.text
    assert english in error.group(1)
    post_form(client, "/language", {"lang": "zh-CN", "next": "/organisation"}, page="/")
    again = save_fapiao(client, **changes)
    error = re.search(rf'<p class="field-error" id="e-{field}">([^<]*)</p>', again.text)
    assert error
    assert chinese in error.group(1)
    with Session(engine) as s:
        assert s.get(FapiaoDetails, world.licensee.organisation_id) is None
    assert actions(engine, "organisation.fapiao_set") == 0


@pytest.mark.parametrize("role", ["contributor", "admin", "auditor"])
def test_only_licensees_keep_fapiao_details(
    client: TestClient, engine: Engine, world: World, role: str
) -> None:
    sign_in(client, EMAILS[role])
    assert 'action="/organisation/fapiao"' not in client.get("/organisation").text
    token = csrf_from(client.get("/organisation"))
    data = {**{k: v or "" for k, v in kit.FAPIAO.items()}, "_csrf_token": token}
    response = client.post("/organisation/fapiao", data=data, follow_redirects=False)
    assert response.status_code == 404
    assert actions(engine, "organisation.fapiao_set") == 0


# ---------------------------------------------------------------- the pool's payee


def save_payee(client: TestClient, world: World, **changes: str) -> object:
    data = {**{k: v or "" for k, v in kit.PAYEE.items()}, **changes}
    url = f"/admin/pools/{world.pool_id}/payee"
    return post_form(client, url, data, page=f"/admin/payee?pool={world.pool_id}")


def test_an_administrator_sets_the_payee_on_its_page(
    client: TestClient, engine: Engine, world: World
) -> None:
    sign_in(client, "admin@example.org")
    assert 'href="/admin/payee"' in client.get("/").text  # on the home page
    page = client.get("/admin/payee").text
    assert "No payee details yet" in page
    saved = save_payee(client, world)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/admin/payee?pool={world.pool_id}&done=saved"
    shown = main_text(client.get(f"/admin/payee?pool={world.pool_id}&done=saved").text)
    assert "The payee details are saved" in shown
    assert "Account number 3456 7890 1234 5678 901 SWIFT/BIC BKCHCNBJ110" in shown
    assert actions(engine, "pool.payee_set") == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"swift_bic": "BKCH CN"}, "swift_bic", "a SWIFT/BIC code is 8 or 11 letters"),
        ({"cnaps_code": "1041-0000-4013"}, "cnaps_code", "a CNAPS code is 12 digits"),
        ({"account_number": "GB82 WEST 1234 5698 7654 33"}, "account_number", "check digits"),
        ({"legal_name": ""}, "legal_name", "required"),
    ],
)
def test_bad_payee_details_are_shown_next_to_the_field_and_nothing_is_saved(
    client: TestClient,
    engine: Engine,
    world: World,
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    sign_in(client, "admin@example.org")
    refused = save_payee(client, world, **changes)
    assert refused.status_code == 422
    error = re.search(rf'<p class="field-error" id="e-{field}">([^<]*)</p>', refused.text)
    assert error, refused.text
    assert message in error.group(1)
    with Session(engine) as s:
        assert s.get(PoolPayee, world.pool_id) is None
    assert actions(engine, "pool.payee_set") == 0


def test_an_auditor_reads_the_payee_without_the_form(
    client: TestClient, engine: Engine, world: World
) -> None:
    kit.payee(client, world)
    sign_in(client, "auditor@example.org")
    page = client.get("/admin/payee")
    assert page.status_code == 200
    assert "BKCHCNBJ110" in page.text
    assert 'action="/admin/pools/' not in page.text
    refused = save_payee(client, world, legal_name="Someone else")
    assert refused.status_code == 403
    assert actions(engine, "pool.payee_set") == 1  # the kit's own


@pytest.mark.parametrize("role", ["licensee", "contributor"])
def test_licensees_and_contributors_find_no_payee_page(
    client: TestClient, engine: Engine, world: World, role: str
) -> None:
    sign_in(client, EMAILS[role])
    assert client.get("/admin/payee").status_code == 404
    token = csrf_from(client.get("/"))
    data = {**{k: v or "" for k, v in kit.PAYEE.items()}, "_csrf_token": token}
    response = client.post(f"/admin/pools/{world.pool_id}/payee", data=data)
    assert response.status_code == 404
    assert actions(engine, "pool.payee_set") == 0


def test_every_sentence_a_bank_or_fapiao_field_is_refused_with_is_translated() -> None:
    sentences = {
        bank.BIC_REASON,
        bank.BIC_COUNTRY_REASON,
        bank.CNAPS_REASON,
        bank.IBAN_CHECK_REASON,
        bank.IBAN_COUNTRY_REASON,
        bank.ACCOUNT_REASON,
        uscc.USCC_LENGTH,
        uscc.USCC_CHARACTERS,
        uscc.USCC_CHECK,
        organisation.PHONE_FAULT,
    }
    assert sentences <= set(SERVICE_MESSAGES)  # and so in the catalogue (test_i18n)
