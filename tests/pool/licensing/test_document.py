"""The licence contract document, in English and Chinese, from the Jinja template."""

from litestar.testing import TestClient

from tests.pool.conftest import World
from tests.pool.licensing.helpers import API, accepted_patent, active, add_terms, ok, publish


def test_the_english_contract_shows_parties_patents_fees_and_filing(
    client: TestClient, world: World
) -> None:
    accepted_patent(client, world, "US10123456B2")
    accepted_patent(client, world, "JP6123456B2")  # outside the territory
    agreement = active(client, world, add_terms(client, world)["id"], payment_method="SWIFT")
    ok(
        client.post(
            f"{API}/agreements/{agreement['id']}/filing",
            json={"filing_number": "BA-2025-7", "filed_on": "2025-02-01"},
            headers=world.admin.headers,
        )
    )
    r = client.get(f"{API}/agreements/{agreement['id']}/document", headers=world.licensee.headers)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    for expected in [
        "Patent Licence Contract",
        "SME L",
        "US10123456B2",
        "2021-03-02",
        "ordinary (non-exclusive)",
        "CN, US",
        "2025-01-10 to 2030-01-09",
        "from unit (year to date) 200,000: 0.3 USD per unit",
        "3.5 % of net sales",
        "annual cap: 20,000.00 USD",
        "5,000.00 USD",
        "SWIFT",
        "BA-2025-7",
    ]:
        assert expected in html, expected
    assert "JP6123456B2" not in html


def test_the_chinese_contract_of_an_open_licence(client: TestClient, world: World) -> None:
    free = {
        "terms_version": "free",
        "categories": [{"category": "TV", "rate": "0"}],
        "free_units_per_year": 0,
        "entry_fee_minor": 0,
    }
    terms = add_terms(client, world, **free)
    offer = ok(publish(client, world, terms["id"], payment_method="<免费>"))
    agreement = ok(
        client.post(f"{API}/offers/{offer['id']}/accept", headers=world.licensee.headers)
    )
    url = f"{API}/agreements/{agreement['id']}/document"
    html = client.get(url, params={"lang": "zh-CN"}, headers=world.admin.headers).text
    for expected in [
        "专利实施许可合同",
        "普通许可",
        "免费许可",
        "&lt;免费&gt;",
        "尚未备案",
        "2025-09-02",
    ]:
        assert expected in html, expected
    assert client.get(url, params={"lang": "fr"}, headers=world.admin.headers).status_code == 422


def test_another_licensee_cannot_read_the_contract(client: TestClient, world: World) -> None:
    agreement = active(client, world, add_terms(client, world)["id"])
    url = f"{API}/agreements/{agreement['id']}/document"
    assert client.get(url, headers=world.other_licensee.headers).status_code == 404
    assert client.get(url, headers=world.contributor.headers).status_code == 404
