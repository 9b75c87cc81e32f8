"""The contributor's own deal register over real HTTP (issue 18): who may open it and act on a
deal (another contributor's deal ids answer 404 on every URL), what the form records (the
supplier is always the contributor), what a refusal shows (and that it changes nothing), a
transfer taking the patent out of the contributor's patent list, and the page in Chinese.

Uni A (the contributor) owns a CN patent of the pool; Lab B (the other contributor) owns
another, pledged to Big M by the administrator; the clock says 2025-04-10."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from pool.models.audit import AuditEvent
from pool.models.deal import DealReceipt, PatentDeal
from pool.models.patent import Patent
from tests.conftest import FakeClock
from tests.pool.distribution import kit
from tests.web.conftest import World, csrf_from, post_form, sign_in

BASE = "/contributor/deals"


@pytest.fixture
def numbers(engine: Engine, world: World, clock: FakeClock) -> dict[str, str]:
    """Uni A's and Lab B's CN patents, by number; the clock on 2025-04-10."""
    clock.now = datetime(2025, 4, 10, 9, tzinfo=UTC)
    found = {}
    for who in ("contributor", "other_contributor"):
        patent_id = kit.patent(engine, world, who, "CN", date(2020, 1, 1))
        with Session(engine) as s:
            patent = s.get(Patent, patent_id)
            assert patent is not None
            found[who] = patent.number
    return found


def deal_form(number: str, **changes: str) -> dict[str, str]:
    return {
        "kind": "pledge",
        "counterparty": "big m",
        "patents": number,
        "signed_on": "2025-02-20",
        "effective_on": "2025-03-01",
        "amount": "500,000.00",
        "registration_number": "Y2025110000123",
        "registered_on": "2025-03-01",
        "notes": "",
        **changes,
    }


def record(client: TestClient, form: dict[str, str]) -> Any:
    return post_form(client, BASE, form, page=BASE)


def count(engine: Engine, model: Any) -> int:
    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def theirs(client: TestClient, engine: Engine, world: World, number: str) -> int:
    """Lab B's pledge, recorded by the administrator; the client signed in as nobody after."""
    sign_in(client, "admin@example.org")
    form = {**deal_form(number), "supplier": "Lab B"}
    page = f"/admin/deals?pool={world.pool_id}"
    done = post_form(client, f"/admin/pools/{world.pool_id}/deals", form, page=page)
    assert done.status_code == 303, done.text
    post_form(client, "/logout", {}, page="/")
    with Session(engine) as s:
        return int(s.exec(select(PatentDeal.id)).one())


def stored(engine: Engine, deal_id: int) -> dict[str, Any]:
    with Session(engine) as s:
        deal = s.get(PatentDeal, deal_id)
        assert deal is not None
        return deal.model_dump()


def deal_urls(deal_id: int) -> list[tuple[str, str]]:
    """Every URL that acts on a deal, with its method."""
    return [
        ("get", f"{BASE}/{deal_id}/end"),
        ("get", f"{BASE}/{deal_id}/end?ended_on=2025-04-09"),
        ("post", f"{BASE}/{deal_id}/end"),
        ("post", f"{BASE}/{deal_id}/receipts"),
        ("post", f"{BASE}/{deal_id}/consent"),
    ]


def test_a_contributor_records_a_pledge_of_its_own_patent_and_acts_on_it(
    client: TestClient, engine: Engine, world: World, numbers: dict[str, str]
) -> None:
    sign_in(client, "uni@example.org")
    empty = client.get(BASE)
    assert empty.status_code == 200
    assert "No deal matches." in empty.text
    assert 'name="supplier"' not in empty.text  # the supplier is not a field
    assert 'hx-get="/pick/organisations"' not in empty.text  # no organisation search
    done = record(client, deal_form(numbers["contributor"].lower()))
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"{BASE}?done=recorded"
    with Session(engine) as s:
        deal = s.exec(select(PatentDeal)).one()
    assert deal.supplier_organisation_id == world.contributor.organisation_id
    assert deal.counterparty_organisation_id == world.other_licensee.organisation_id
    assert (deal.kind, deal.contract_amount_minor) == ("pledge", 50_000_000)
    listed = client.get(BASE).text
    for shown in ("Pledge", "Big M", numbers["contributor"], "$500,000.00", "Y2025110000123"):
        assert shown in listed, shown

    receipts = f"{BASE}/{deal.id}/receipts"
    too_fine = post_form(client, receipts, {"amount": "1.001", "received_on": "2025-04-01",
                                            "reference": "R1"}, page=BASE)  # fmt: skip
    assert too_fine.status_code == 422
    assert "fewer decimals" in too_fine.text
    assert count(engine, DealReceipt) == 0
    paid = post_form(client, receipts, {"amount": "1,250.50", "received_on": "2025-04-01",
                                        "reference": "R1"}, page=BASE)  # fmt: skip
    assert paid.status_code == 303
    assert "$1,250.50" in client.get(BASE).text

    consent = post_form(client, f"{BASE}/{deal.id}/consent", {"consent_on": "2025-04-05"},
                        page=BASE)  # fmt: skip
    assert consent.status_code == 303, consent.text
    assert "Pledgee consented from" in client.get(BASE).text

    confirm = client.get(f"{BASE}/{deal.id}/end?ended_on=2025-04-08&reason=repaid")
    assert confirm.status_code == 200
    assert (
        f"Releasing pledge {deal.id} lifts its block on licensing and transferring patents "
        f"{numbers['contributor']} from Apr 8, 2025." in confirm.text
    )
    assert f'action="{BASE}/{deal.id}/end"' in confirm.text
    assert f'href="{BASE}"' in confirm.text
    token = csrf_from(confirm)
    plain = client.post(f"{BASE}/{deal.id}/end",
                        data={"ended_on": "2025-04-08", "_csrf_token": token})  # fmt: skip
    assert plain.status_code == 422  # not confirmed: nothing changes
    with Session(engine) as s:
        assert s.get(PatentDeal, deal.id).ended_on is None  # type: ignore[union-attr]
    ended = client.post(
        f"{BASE}/{deal.id}/end",
        data={"ended_on": "2025-04-08", "reason": "repaid", "confirm": "yes", "_csrf_token": token},
        follow_redirects=False,
    )
    assert ended.status_code == 303
    with Session(engine) as s:
        assert s.get(PatentDeal, deal.id).ended_on == date(2025, 4, 8)  # type: ignore[union-attr]
    csv = client.get(f"{BASE}?format=csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("deal,kind,supplier,counterparty,patents")
    assert ",pledge,Uni A,Big M," in lines[1]
    assert ",USD,500000.00,1250.50," in lines[1]


def test_refused_forms_name_their_fields_and_change_nothing(
    client: TestClient, engine: Engine, world: World, numbers: dict[str, str]
) -> None:
    sign_in(client, "uni@example.org")
    before = count(engine, AuditEvent)
    mine = numbers["contributor"]
    for changes, field_text in (
        ({"patents": numbers["other_contributor"]}, "numbered " + numbers["other_contributor"]),
        ({"patents": f"{mine}, CN999"}, "numbered CN999"),
        ({"amount": "12.345"}, "this currency has fewer decimals"),
        ({"kind": ""}, 'id="e-record-kind"'),
        ({"counterparty": "Big"}, "no organisation has this name"),  # a name in full only
        ({"counterparty": "Uni A"}, "must differ from the supplier"),
        ({"signed_on": "2030-01-01", "effective_on": "2030-01-01"}, "cannot be in the future"),
        ({"pool_id": "999"}, "choose one of your pools"),
        ({"supplier_organisation_id": str(world.other_contributor.organisation_id),
          "patents": numbers["other_contributor"]}, "numbered"),  # not a field: ignored
    ):  # fmt: skip
        response = record(client, deal_form(mine, **changes))
        assert response.status_code == 422, (changes, response.text[:300])
        assert field_text in response.text, changes
        assert f'action="{BASE}"' in response.text  # the form again, as typed
    assert count(engine, PatentDeal) == 0
    assert count(engine, AuditEvent) == before


def test_a_transfer_over_a_pledge_is_refused_and_a_transfer_leaves_the_patent_list(
    client: TestClient, engine: Engine, world: World, numbers: dict[str, str]
) -> None:
    mine = numbers["contributor"]
    sign_in(client, "uni@example.org")
    assert record(client, deal_form(mine)).status_code == 303
    transfer = deal_form(mine, kind="transfer", effective_on="2025-04-01")
    refused = record(client, transfer)
    assert refused.status_code == 409
    assert "is pledged" in refused.text
    assert count(engine, PatentDeal) == 1

    with Session(engine) as s:
        pledge_id = s.exec(select(PatentDeal.id)).one()
    confirm = client.get(f"{BASE}/{pledge_id}/end?ended_on=2025-03-31")
    released = client.post(f"{BASE}/{pledge_id}/end", data={
        "ended_on": "2025-03-31", "confirm": "yes", "_csrf_token": csrf_from(confirm),
    }, follow_redirects=False)  # fmt: skip
    assert released.status_code == 303
    assert record(client, transfer).status_code == 303
    with Session(engine) as s:
        patent = s.exec(select(Patent).where(Patent.number == mine)).one()
    assert patent.status == "transferred"
    patents = client.get(f"/contributor/patents?pool={world.pool_id}").text
    row = patents[patents.index(mine) :].split("</tr>")[0]
    assert "Transferred" in row


def test_another_contributors_deals_are_not_found(
    client: TestClient, engine: Engine, world: World, numbers: dict[str, str]
) -> None:
    deal_id = theirs(client, engine, world, numbers["other_contributor"])
    before = (count(engine, AuditEvent), stored(engine, deal_id))
    sign_in(client, "uni@example.org")
    listed = client.get(BASE).text
    assert "Lab B" not in listed
    assert "Y2025110000123" not in listed
    assert "Y2025110000123" not in client.get(f"{BASE}?format=csv").text
    token = csrf_from(client.get(BASE))
    form = {
        "amount": "1.00", "received_on": "2025-04-01", "reference": "R",
        "consent_on": "2025-04-05", "ended_on": "2025-04-08", "confirm": "yes",
        "_csrf_token": token,
    }  # fmt: skip
    for method, url in [*deal_urls(deal_id), *deal_urls(999_999)]:
        response = client.get(url) if method == "get" else client.post(url, data=form)
        assert response.status_code == 404, url
        assert "Lab B" not in response.text
    assert (count(engine, AuditEvent), stored(engine, deal_id)) == before
    assert count(engine, DealReceipt) == 0


@pytest.mark.parametrize(
    "email", ["admin@example.org", "auditor@example.org", "sme@example.org", "big@example.org"]
)
def test_other_roles_find_nothing_here(
    client: TestClient, engine: Engine, world: World, numbers: dict[str, str], email: str
) -> None:
    deal_id = theirs(client, engine, world, numbers["other_contributor"])
    before = count(engine, AuditEvent)
    sign_in(client, email)
    token = csrf_from(client.get("/"))
    assert client.get(BASE).status_code == 404
    assert client.get(f"{BASE}?format=csv").status_code == 404
    assert client.post(BASE, data={**deal_form(numbers["other_contributor"]),
                                   "_csrf_token": token}).status_code == 404  # fmt: skip
    for method, url in deal_urls(deal_id):
        response = (
            client.get(url)
            if method == "get"
            else client.post(
                url, data={"confirm": "yes", "ended_on": "2025-04-08", "_csrf_token": token}
            )
        )
        assert response.status_code == 404, (email, url)
    assert count(engine, AuditEvent) == before
    assert f'href="{BASE}"' not in client.get("/").text


def test_visitors_are_sent_to_the_login_page(
    client: TestClient, engine: Engine, world: World, numbers: dict[str, str]
) -> None:
    deal_id = theirs(client, engine, world, numbers["other_contributor"])
    for url in (BASE, f"{BASE}/{deal_id}/end"):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303, url
        assert response.headers["location"] == "/login?next=" + url


def test_the_menu_and_home_page_link_it(client: TestClient, world: World) -> None:
    sign_in(client, "uni@example.org")
    home = client.get("/").text
    assert home.count(f'href="{BASE}"') >= 2  # the menu and the home page
    assert "My deals" in home


def test_the_page_in_chinese(
    client: TestClient, engine: Engine, world: World, numbers: dict[str, str]
) -> None:
    client.cookies.set("lang", "zh-CN")
    sign_in(client, "uni@example.org")
    assert record(client, deal_form(numbers["contributor"])).status_code == 303
    refused = record(client, deal_form(numbers["contributor"], counterparty="Nobody"))
    assert refused.status_code == 422
    assert "no organisation has this name" not in refused.text
    for html in (client.get(BASE).text, refused.text):
        assert "我的专利交易" in html
        assert "质押" in html
        for english in (
            "My deals", "Record a deal", "Counterparty", "Kind", "Choose", "Received so far",
            "Signed", "Patents", "Contract amount", "Registration number", "Record a receipt",
            "The organisation's full name", "Transfers, licences",
        ):  # fmt: skip
            assert f">{english}" not in html, english
    with Session(engine) as s:
        deal_id = s.exec(select(PatentDeal.id)).one()
    confirm = client.get(f"{BASE}/{deal_id}/end?ended_on=2025-04-08").text
    assert "Releasing pledge" not in confirm
    assert "Deal register" not in confirm
