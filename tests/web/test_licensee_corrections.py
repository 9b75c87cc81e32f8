"""The licensee's licence contract page and report corrections over real HTTP: its own
agreements and reports only (another licensee's ids are 404), the correction form prefilled
with the report's lines, sent through `reports.correct` (the old invoice cancelled, a new one
issued), and a refused correction re-shown with nothing changed."""

from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from pool.models.reporting import UsageReport
from tests.pool.reporting.kit import Deal, deal, line, submit
from tests.web.conftest import World, csrf_from, sign_in
from tests.web.test_licensee_pages import Q1, TERMS, active_deal


def report_of(client: TestClient, world: World, d: Deal, units: int = 1000) -> int:
    receipt = submit(client, world, d, Q1, [line(d.products["mobile"], units, net=4500000)])
    assert receipt.status_code == 201, receipt.text
    report_id: int = receipt.json()["id"]
    return report_id


def statuses(engine: Engine) -> list[tuple[int, str]]:
    with Session(engine) as s:
        return [(r.id or 0, r.status) for r in s.exec(select(UsageReport)).all()]


def send(client: TestClient, report_id: int, rows: list[dict[str, str]]) -> Response:
    url = f"/licensee/reports/{report_id}/correction"
    body: list[tuple[str, str]] = [("_csrf_token", csrf_from(client.get(url)))]
    columns = ("product_id", "country_of_manufacture", "country_of_sale", "units", "net_sales")
    for row in rows:
        body += [(name, row.get(name, "")) for name in columns]
    return client.post(
        url,
        content="&".join(f"{k}={v}" for k, v in body).encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )


def test_the_licence_contract_is_the_licensees_own_in_its_language(
    client: TestClient, engine: Engine, world: World
) -> None:
    mine = active_deal(engine, world)
    theirs = deal(engine, world, royalty=TERMS, caller="other_licensee")
    sign_in(client, "sme@example.org")
    agreement = client.get(f"/licensee/agreements/{mine.agreement_id}").text
    assert f'href="/licensee/agreements/{mine.agreement_id}/contract"' in agreement
    english = client.get(f"/licensee/agreements/{mine.agreement_id}/contract")
    assert english.status_code == 200
    assert english.headers["content-type"].startswith("text/html")
    client.cookies.set("lang", "zh-CN")
    chinese = client.get(f"/licensee/agreements/{mine.agreement_id}/contract")
    assert chinese.status_code == 200
    assert chinese.text != english.text
    assert "许可" in chinese.text
    assert client.get(f"/licensee/agreements/{theirs.agreement_id}/contract").status_code == 404
    sign_in(client, "uni@example.org")
    assert client.get(f"/licensee/agreements/{mine.agreement_id}/contract").status_code == 404


def test_a_report_is_corrected_from_its_own_lines(
    client: TestClient, engine: Engine, world: World
) -> None:
    d = active_deal(engine, world)
    report_id = report_of(client, world, d)
    sign_in(client, "sme@example.org")
    shown = client.get(f"/licensee/reports/{report_id}").text
    assert f'href="/licensee/reports/{report_id}/correction"' in shown
    form = client.get(f"/licensee/reports/{report_id}/correction").text
    assert "will be cancelled and replaced" in form
    assert "will be charged again" in form
    assert 'value="1000"' in form  # prefilled, amounts in major units
    assert 'value="45000.00"' in form
    product = str(d.products["mobile"])
    base = {"product_id": product, "country_of_manufacture": "CN", "country_of_sale": "US"}
    refused = send(client, report_id, [{**base, "units": "many", "net_sales": "45000.00"}])
    assert refused.status_code == 422
    assert "not a whole number" in refused.text
    assert statuses(engine) == [(report_id, "accepted")]
    corrected = send(client, report_id, [{**base, "units": "800", "net_sales": "36000.00"}])
    assert corrected.status_code == 303
    location = corrected.headers["location"]
    new_id = int(location.split("/")[3].split("?")[0])
    assert dict(statuses(engine)) == {report_id: "superseded", new_id: "accepted"}
    after = client.get(location).text
    assert "Your correction replaced the earlier report" in after
    old = client.get(f"/licensee/reports/{report_id}").text
    assert f'href="/licensee/reports/{report_id}/correction"' not in old  # superseded
    again = send(client, report_id, [{**base, "units": "700", "net_sales": "1.00"}])
    assert again.status_code == 409
    assert len(statuses(engine)) == 2


def test_another_licensees_report_cannot_be_corrected(
    client: TestClient, engine: Engine, world: World
) -> None:
    theirs = deal(engine, world, royalty=TERMS, caller="other_licensee")
    active_deal(engine, world)
    report_id = report_of(client, world, theirs)
    sign_in(client, "sme@example.org")
    assert client.get(f"/licensee/reports/{report_id}/correction").status_code == 404
    token = csrf_from(client.get("/licensee/reports"))
    posted = client.post(
        f"/licensee/reports/{report_id}/correction",
        data={"_csrf_token": token, "product_id": "1", "units": "1"},
        follow_redirects=False,
    )
    assert posted.status_code == 404
    sign_in(client, "admin@example.org")
    assert client.get(f"/licensee/reports/{report_id}/correction").status_code == 404
    assert statuses(engine) == [(report_id, "accepted")]
