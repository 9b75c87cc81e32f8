"""Payment methods: the common ones are a choice of known methods, stored as their code and
shown in the reader's language (the public offer, the licensee's agreements, the licence
contract); anything else the administrator writes is kept and shown as written."""

import pytest
from litestar.testing import TestClient

from tests.pool.licensing.helpers import API, add_terms, ok, publish
from tests.web.conftest import World, post_form, sign_in


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Bank transfer", "bank_transfer"),
        ("telegraphic-transfer", "telegraphic_transfer"),
        ("  LETTER OF CREDIT ", "letter_of_credit"),
        ("cheque", "cheque"),
        ("bank transfer in USD within 30 days", "bank transfer in USD within 30 days"),
    ],
)
def test_a_known_method_is_stored_as_its_code_and_other_text_as_written(
    client: TestClient, world: World, typed: str, stored: str
) -> None:
    terms = add_terms(client, world)
    assert ok(publish(client, world, terms["id"], payment_method=typed))["payment_method"] == stored


def test_the_offer_the_agreement_and_the_contract_name_the_method_in_the_readers_language(
    client: TestClient, world: World
) -> None:
    offer = ok(
        publish(client, world, add_terms(client, world)["id"], payment_method="bank_transfer")
    )
    english = client.get(f"/pools/{world.pool_id}").text
    assert "<dd>Bank transfer</dd>" in english
    chinese = client.get(f"/pools/{world.pool_id}", headers={"accept-language": "zh-CN"}).text
    assert "<dd>银行转账</dd>" in chinese
    assert "bank_transfer" not in chinese
    accepted = client.post(f"{API}/offers/{offer['id']}/accept", headers=world.licensee.headers)
    agreement = ok(accepted)
    assert agreement["payment_method"] == "bank_transfer"
    sign_in(client, "sme@example.org")
    assert "<dd>Bank transfer</dd>" in client.get(f"/licensee/agreements/{agreement['id']}").text
    post_form(client, "/language", {"lang": "zh-CN", "next": "/"}, page="/")
    assert "<dd>银行转账</dd>" in client.get(f"/licensee/agreements/{agreement['id']}").text
    url = f"{API}/agreements/{agreement['id']}/document"
    zh = client.get(url, params={"lang": "zh-CN"}, headers=world.admin.headers).text
    assert "<dt>支付方式</dt><dd>银行转账</dd>" in zh
    en = client.get(url, params={"lang": "en"}, headers=world.admin.headers).text
    assert "<dt>Payment method</dt><dd>Bank transfer</dd>" in en


def test_the_administrators_own_words_are_shown_as_written(
    client: TestClient, world: World
) -> None:
    ok(publish(client, world, add_terms(client, world)["id"], payment_method="SWIFT <MT103>"))
    chinese = client.get(f"/pools/{world.pool_id}", headers={"accept-language": "zh-CN"}).text
    assert "<dd>SWIFT &lt;MT103&gt;</dd>" in chinese
