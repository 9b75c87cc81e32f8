"""The deal register's and the open-licence offers' pages over real HTTP (issue 18): who may
open them, what each form records, what a refusal shows (and that it changes nothing), the
CSV export, and both pages in Chinese.

Uni A (the contributor) owns a CN patent of the pool; it pledges it to Big M (the other
licensee's organisation) from 2025-03-01; the clock says 2025-04-10."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from pool.models.audit import AuditEvent
from pool.models.deal import DealReceipt, PatentDeal
from pool.models.licensing import OpenOffer
from pool.models.patent import Patent
from tests.conftest import FakeClock
from tests.pool.distribution import kit
from tests.pool.licensing.helpers import add_terms
from tests.web.conftest import World, csrf_from, post_form, sign_in

PAGES = ("/admin/deals", "/admin/offers")


@pytest.fixture
def pledged(engine: Engine, world: World, clock: FakeClock) -> str:
    """Uni A's CN patent, by number (not pledged yet); the clock on 2025-04-10."""
    clock.now = datetime(2025, 4, 10, 9, tzinfo=UTC)
    patent_id = kit.patent(engine, world, "contributor", "CN", date(2020, 1, 1))
    with Session(engine) as s:
        patent = s.get(Patent, patent_id)
        assert patent is not None
        return patent.number


def pledge_form(world: World, number: str, **changes: str) -> dict[str, str]:
    return {
        "kind": "pledge",
        "supplier": f"Uni A (#{world.contributor.organisation_id})",
        "counterparty": "Big M",
        "patents": number,
        "signed_on": "2025-02-20",
        "effective_on": "2025-03-01",
        "amount": "500,000.00",
        "registration_number": "Y2025110000123",
        "registered_on": "2025-03-01",
        "notes": "",
        **changes,
    }


def record(client: TestClient, world: World, form: dict[str, str]) -> Any:
    page = f"/admin/deals?pool={world.pool_id}"
    return post_form(client, f"/admin/pools/{world.pool_id}/deals", form, page=page)


def publish(client: TestClient, world: World, version_id: int, **changes: str) -> Any:
    form = {
        "terms_id": str(version_id),
        "term_months": "36",
        "jurisdiction": "CN",
        "payment_method": "bank transfer within 30 days",
        "published_on": "2025-04-10",
        **changes,
    }
    page = f"/admin/offers?pool={world.pool_id}"
    return post_form(client, f"/admin/pools/{world.pool_id}/offers", form, page=page)


def count(engine: Engine, model: Any) -> int:
    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def test_an_administrator_records_a_pledge_and_the_offer_is_refused_until_consent(
    client: TestClient, engine: Engine, world: World, pledged: str
) -> None:
    terms = add_terms(client, world)
    sign_in(client, "admin@example.org")
    done = record(client, world, pledge_form(world, pledged.lower()))
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/admin/deals?pool={world.pool_id}&done=recorded"
    with Session(engine) as s:
        deal = s.exec(select(PatentDeal)).one()
    assert (deal.kind, deal.contract_amount_minor) == ("pledge", 50_000_000)
    listed = client.get(f"/admin/deals?pool={world.pool_id}").text
    assert "Uni A" in listed
    assert "Big M" in listed
    assert pledged in listed
    assert "$500,000.00" in listed
    assert "Y2025110000123" in listed

    refused = publish(client, world, terms["id"])
    assert refused.status_code == 409
    assert f"is pledged (deal {deal.id}" in refused.text
    assert count(engine, OpenOffer) == 0

    consent = post_form(
        client, f"/admin/deals/{deal.id}/consent", {"consent_on": "2025-04-05"},
        page=f"/admin/deals?pool={world.pool_id}",
    )  # fmt: skip
    assert consent.status_code == 303, consent.text
    assert publish(client, world, terms["id"]).status_code == 303
    assert count(engine, OpenOffer) == 1
    offers = client.get(f"/admin/offers?pool={world.pool_id}").text
    assert "2025-1" in offers
    assert "36 months" in offers


def test_refused_deal_forms_name_their_fields_and_change_nothing(
    client: TestClient, engine: Engine, world: World, pledged: str
) -> None:
    sign_in(client, "admin@example.org")
    before = count(engine, AuditEvent)
    for changes, field_text in (
        ({"patents": f"{pledged}, CN999"}, "numbered CN999"),
        ({"amount": "12.345"}, "this currency has fewer decimals"),
        ({"amount": "1e5"}, "enter an amount such as 1250.00"),
        ({"amount": "-1"}, "enter an amount of zero or more"),
        ({"kind": ""}, 'id="e-record-kind"'),
        ({"counterparty": "Nobody at all"}, "no organisation has this name"),
        ({"counterparty": "Uni A"}, "must differ from the supplier"),
        ({"signed_on": "2030-01-01", "effective_on": "2030-01-01"}, "cannot be in the future"),
    ):
        response = record(client, world, pledge_form(world, pledged, **changes))
        assert response.status_code == 422, (changes, response.text[:300])
        assert field_text in response.text, changes
        assert 'action="/admin/pools/' in response.text  # the form again, as typed
    assert count(engine, PatentDeal) == 0
    assert count(engine, AuditEvent) == before


def test_a_deal_for_no_money_is_recorded_as_the_api_allows(
    client: TestClient, engine: Engine, world: World, pledged: str
) -> None:
    """A licence given free of charge: its contract amount is 0.00, as the API accepts."""
    sign_in(client, "admin@example.org")
    free = pledge_form(world, pledged, kind="licence", amount="0.00", registration_number="",
                       registered_on="")  # fmt: skip
    done = record(client, world, free)
    assert done.status_code == 303, done.text
    with Session(engine) as s:
        deal = s.exec(select(PatentDeal)).one()
    assert (deal.kind, deal.contract_amount_minor) == ("licence", 0)


def test_a_transfer_over_the_pledge_is_refused_on_the_form(
    client: TestClient, engine: Engine, world: World, pledged: str
) -> None:
    sign_in(client, "admin@example.org")
    assert record(client, world, pledge_form(world, pledged)).status_code == 303
    transfer = pledge_form(world, pledged, kind="transfer", effective_on="2025-04-01")
    response = record(client, world, transfer)
    assert response.status_code == 409
    assert "is pledged" in response.text
    assert "record the pledgee" in response.text
    assert count(engine, PatentDeal) == 1


def test_receipts_and_the_release_confirmed_in_words(
    client: TestClient, engine: Engine, world: World, pledged: str
) -> None:
    sign_in(client, "admin@example.org")
    record(client, world, pledge_form(world, pledged))
    with Session(engine) as s:
        deal_id = s.exec(select(PatentDeal.id)).one()
    page = f"/admin/deals?pool={world.pool_id}"
    url = f"/admin/deals/{deal_id}/receipts"
    too_fine = post_form(client, url, {"amount": "1.001", "received_on": "2025-04-01",
                                       "reference": "R1"}, page=page)  # fmt: skip
    assert too_fine.status_code == 422
    assert "fewer decimals" in too_fine.text
    assert count(engine, DealReceipt) == 0
    paid = post_form(client, url, {"amount": "1,250.50", "received_on": "2025-04-01",
                                   "reference": "R1"}, page=page)  # fmt: skip
    assert paid.status_code == 303
    assert "$1,250.50" in client.get(page).text

    confirm = client.get(f"/admin/deals/{deal_id}/end?ended_on=2025-04-08&reason=repaid")
    assert confirm.status_code == 200
    assert (
        f"Releasing pledge {deal_id} lifts its block on licensing and transferring patents "
        f"{pledged} from Apr 8, 2025." in confirm.text
    )
    token = csrf_from(confirm)
    plain = client.post(f"/admin/deals/{deal_id}/end",
                        data={"ended_on": "2025-04-08", "_csrf_token": token})  # fmt: skip
    assert plain.status_code == 422  # not confirmed: nothing changes
    with Session(engine) as s:
        assert s.get(PatentDeal, deal_id).ended_on is None  # type: ignore[union-attr]
    ended = client.post(
        f"/admin/deals/{deal_id}/end",
        data={"ended_on": "2025-04-08", "reason": "repaid", "confirm": "yes", "_csrf_token": token},
        follow_redirects=False,
    )
    assert ended.status_code == 303
    with Session(engine) as s:
        assert s.get(PatentDeal, deal_id).ended_on == date(2025, 4, 8)  # type: ignore[union-attr]
    again = client.post(
        f"/admin/deals/{deal_id}/end",
        data={"ended_on": "2025-04-09", "confirm": "yes", "_csrf_token": token},
    )
    assert again.status_code == 409


def test_the_csv_holds_every_filtered_deal_in_major_units(
    client: TestClient, world: World, pledged: str
) -> None:
    sign_in(client, "admin@example.org")
    record(client, world, pledge_form(world, pledged, amount="1234.5"))
    response = client.get(f"/admin/deals?pool={world.pool_id}&kind=pledge&format=csv")
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("deal,kind,supplier,counterparty,patents")
    assert ",pledge,Uni A,Big M," in lines[1]
    assert ",USD,1234.50,0.00," in lines[1]
    none = client.get(f"/admin/deals?pool={world.pool_id}&kind=transfer&format=csv")
    assert len(none.content.decode("utf-8-sig").splitlines()) == 1
    searched = client.get(f"/admin/deals?pool={world.pool_id}&q=y2025110000123").text
    assert "Big M" in searched
    assert "No deal matches." in client.get(f"/admin/deals?pool={world.pool_id}&q=zzz").text


def test_an_auditor_reads_both_pages_without_forms(
    client: TestClient, world: World, pledged: str
) -> None:
    add_terms(client, world)
    sign_in(client, "admin@example.org")
    record(client, world, pledge_form(world, pledged))
    client.post("/logout", data={"_csrf_token": csrf_from(client.get("/"))})
    sign_in(client, "auditor@example.org")
    for url in PAGES:
        response = client.get(f"{url}?pool={world.pool_id}")
        assert response.status_code == 200, url
        assert 'method="post" action="/admin' not in response.text
    assert "Y2025110000123" in client.get(f"/admin/deals?pool={world.pool_id}").text
    token = csrf_from(client.get("/"))
    response = client.post(f"/admin/pools/{world.pool_id}/deals",
                           data={**pledge_form(world, pledged), "_csrf_token": token})  # fmt: skip
    assert response.status_code == 403


@pytest.mark.parametrize(
    "email", ["sme@example.org", "big@example.org", "uni@example.org", "lab@example.org"]
)
def test_licensees_and_contributors_find_nothing_here(
    client: TestClient, world: World, email: str
) -> None:
    sign_in(client, email)
    for url in (*PAGES, "/admin/deals/1/end", "/admin/offers/1/withdraw"):
        assert client.get(url, follow_redirects=False).status_code == 404, url
    token = csrf_from(client.get("/"))
    for url in (f"/admin/pools/{world.pool_id}/deals", f"/admin/pools/{world.pool_id}/offers"):
        response = client.post(url, data={"_csrf_token": token}, follow_redirects=False)
        assert response.status_code == 404, url


def test_visitors_sign_in_and_unknown_ids_are_not_found(client: TestClient, world: World) -> None:
    for url in PAGES:
        response = client.get(url, follow_redirects=False)
        assert response.headers["location"] == "/login?next=" + url
    sign_in(client, "admin@example.org")
    for url in ("/admin/deals?pool=999", "/admin/offers?pool=999", "/admin/deals/999/end",
                "/admin/offers/999/withdraw"):  # fmt: skip
        assert client.get(url).status_code == 404, url


def test_offer_refusals_and_withdrawal_confirmed(
    client: TestClient, engine: Engine, world: World, pledged: str
) -> None:
    terms = add_terms(client, world)
    sign_in(client, "admin@example.org")
    for changes, text in (
        ({"jurisdiction": "XX"}, 'id="e-jurisdiction"'),
        ({"term_months": "0"}, "must be at least 1"),
        ({"terms_id": "999"}, "choose one of the pool&#39;s terms"),
    ):
        response = publish(client, world, terms["id"], **changes)
        assert response.status_code == 422, (changes, response.text[:300])
        assert text in response.text, changes
    assert count(engine, OpenOffer) == 0
    assert publish(client, world, terms["id"]).status_code == 303
    with Session(engine) as s:
        offer_id = s.exec(select(OpenOffer.id)).one()
    confirm = client.get(f"/admin/offers/{offer_id}/withdraw?withdrawn_on=2025-04-10")
    assert "nobody can accept it from that day" in confirm.text
    token = csrf_from(confirm)
    url = f"/admin/offers/{offer_id}/withdraw"
    assert (
        client.post(url, data={"withdrawn_on": "2025-04-10", "_csrf_token": token}).status_code
        == 422
    )
    with Session(engine) as s:
        assert s.get(OpenOffer, offer_id).withdrawn_on is None  # type: ignore[union-attr]
    done = client.post(url, data={"withdrawn_on": "2025-04-10", "confirm": "yes",
                                  "_csrf_token": token}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303


def test_both_pages_in_chinese(client: TestClient, world: World, pledged: str) -> None:
    terms = add_terms(client, world)
    client.cookies.set("lang", "zh-CN")
    sign_in(client, "admin@example.org")
    record(client, world, pledge_form(world, pledged))
    refused = publish(client, world, terms["id"])
    assert refused.status_code == 409
    assert "已出质" in refused.text
    assert "is pledged" not in refused.text
    for url in PAGES:
        html = client.get(f"{url}?pool={world.pool_id}").text
        for english in (
            "Record a deal", "Supplier", "Counterparty", "Kind", "Terms version", "Publish",
            "Choose", "Received so far", "Jurisdiction", "Signed",
        ):  # fmt: skip
            assert f">{english}" not in html, (url, english)
    assert "质押" in client.get(f"/admin/deals?pool={world.pool_id}").text


def test_a_name_several_organisations_fit_is_chosen_from_a_list(
    client: TestClient, engine: Engine, world: World, pledged: str
) -> None:
    sign_in(client, "admin@example.org")
    several = record(client, world, pledge_form(world, pledged, counterparty="m"))
    assert several.status_code == 422
    assert 'id="f-record-counterparty-match"' in several.text
    assert "several organisations have this name: choose one" in several.text
    big = world.other_licensee.organisation_id
    assert f'<option value="{big}">Big M (#{big})</option>' in several.text
    assert count(engine, PatentDeal) == 0
    chosen = pledge_form(world, pledged, counterparty="m", counterparty_organisation_id=str(big))
    assert record(client, world, chosen).status_code == 303
    with Session(engine) as s:
        assert s.exec(select(PatentDeal.counterparty_organisation_id)).one() == big


def test_ending_a_licence_says_nothing_else_changes(
    client: TestClient, engine: Engine, world: World, pledged: str
) -> None:
    sign_in(client, "admin@example.org")
    record(client, world, pledge_form(world, pledged, kind="licence"))
    with Session(engine) as s:
        deal_id = s.exec(select(PatentDeal.id)).one()
    page = client.get(f"/admin/deals/{deal_id}/end?ended_on=2025-04-09").text
    assert f"Ending deal {deal_id} on Apr 9, 2025 records its end" in page
    assert "Confirm the end" in page
    not_a_day = client.get(f"/admin/deals/{deal_id}/end?ended_on=nonsense")
    assert not_a_day.status_code == 422
    assert "Confirm the end" not in not_a_day.text


def test_the_register_narrows_to_the_year_signed_as_the_figures_count(
    client: TestClient, world: World, pledged: str
) -> None:
    sign_in(client, "admin@example.org")
    assert record(client, world, pledge_form(world, pledged)).status_code == 303  # 2025-02-20
    base = f"/admin/deals?pool={world.pool_id}"
    assert pledged in client.get(f"{base}&year=2025").text
    assert "No deal matches." in client.get(f"{base}&year=2024").text
    exported = client.get(f"{base}&year=2024&format=csv").text
    assert exported.count("\n") == 1  # the header only
