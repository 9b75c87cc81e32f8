"""Open licences: published for everyone, accepted online on exactly the same terms."""

from datetime import date

from litestar.testing import TestClient

from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.licensing.helpers import API, add_terms, draft, field_errors, ok, publish


def test_a_chinese_open_licence_charges_at_most_20_percent_of_net_sales(
    client: TestClient, world: World
) -> None:
    high = [{"category": "PC", "basis": "percent_of_net_sales", "percent": "20.5"}]
    terms = add_terms(client, world, terms_version="high", categories=high)
    r = publish(client, world, terms["id"], jurisdiction="CN")
    assert r.status_code == 422
    assert field_errors(r) == {"terms_id"}
    assert "$.terms.categories[0].percent" in r.json()["detail"]
    assert publish(client, world, terms["id"], jurisdiction="US").status_code == 201


def test_published_offers_are_public_with_their_fee_standard(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    terms = add_terms(client, world)
    offer = ok(publish(client, world, terms["id"]))
    ok(publish(client, world, terms["id"], published_on="2025-07-01"))  # not yet
    listed = ok(client.get(f"{API}/public/offers"))
    assert [o["id"] for o in listed["items"]] == [offer["id"]]
    shown = listed["items"][0]
    assert (shown["currency"], shown["terms_version"]) == ("USD", "2025-1")
    assert shown["royalty_terms"]["categories"][1] == {
        **shown["royalty_terms"]["categories"][1],
        "category": "TV",
        "rate": "1",
    }
    assert shown["payment_method"] == "bank transfer in USD within 30 days"
    per_pool = ok(client.get(f"{API}/public/pools/{world.pool_id}/offers"))
    assert per_pool["total"] == 1
    ok(
        client.post(
            f"{API}/offers/{offer['id']}/withdraw",
            json={"withdrawn_on": "2025-06-10"},
            headers=world.admin.headers,
        )
    )
    assert ok(client.get(f"{API}/public/offers"))["total"] == 1  # still open until the 10th
    clock.advance(days=8)
    assert ok(client.get(f"{API}/public/offers"))["total"] == 0


def test_everyone_who_accepts_gets_the_same_terms(client: TestClient, world: World) -> None:
    terms = add_terms(client, world)
    offer = ok(publish(client, world, terms["id"], term_months=36))
    url = f"{API}/offers/{offer['id']}/accept"
    first = ok(client.post(url, headers=world.licensee.headers))
    second = ok(client.post(url, headers=world.other_licensee.headers))
    for agreement, caller in ((first, world.licensee), (second, world.other_licensee)):
        assert agreement["licensee_organisation_id"] == caller.organisation_id
        assert (agreement["state"], agreement["licence_type"]) == ("active", "ordinary")
        assert (agreement["start_on"], agreement["end_on"]) == ("2025-06-02", "2028-06-02")
        assert (agreement["terms_id"], agreement["offer_id"]) == (terms["id"], offer["id"])
        assert agreement["product_categories"] == ["mobile", "TV", "PC"]
        assert agreement["payment_method"] == offer["payment_method"]
    assert client.post(url, headers=world.licensee.headers).status_code == 409


def test_only_licensees_accept_and_only_published_offers(client: TestClient, world: World) -> None:
    terms = add_terms(client, world)
    offer = ok(publish(client, world, terms["id"]))
    assert (
        client.post(f"{API}/offers/{offer['id']}/accept", headers=world.admin.headers).status_code
        == 403
    )
    later = ok(publish(client, world, terms["id"], published_on=date(2026, 1, 1).isoformat()))
    r = client.post(f"{API}/offers/{later['id']}/accept", headers=world.licensee.headers)
    assert r.status_code == 404


def test_no_open_licence_beside_an_exclusive_one(client: TestClient, world: World) -> None:
    terms = add_terms(client, world)
    exclusive = draft(client, world, terms["id"], licence_type="exclusive")
    r = publish(client, world, terms["id"])
    assert r.status_code == 409
    assert f"agreement {exclusive['id']}" in r.json()["detail"]


def test_withdrawal_is_dated_and_happens_once(client: TestClient, world: World) -> None:
    offer = ok(publish(client, world, add_terms(client, world)["id"]))
    url = f"{API}/offers/{offer['id']}/withdraw"
    early = client.post(url, json={"withdrawn_on": "2025-01-01"}, headers=world.admin.headers)
    assert (early.status_code, field_errors(early)) == (422, {"withdrawn_on"})
    ok(client.post(url, json={"withdrawn_on": "2025-06-02"}, headers=world.admin.headers))
    again = client.post(url, json={"withdrawn_on": "2025-06-03"}, headers=world.admin.headers)
    assert again.status_code == 409
