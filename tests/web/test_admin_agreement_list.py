"""`/admin/agreements` over real HTTP (issue 17): search by licensee, filing or agreement
number; the `state`, `pool` and `overdue_filing=yes` filters; sorting; a pager that keeps the
filters; the CSV of every filtered row; and a state change only through its confirmation."""

from datetime import UTC, date, datetime

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from pool.db import session_scope
from pool.models.licensing import LicenceAgreement
from pool.models.organisation import Organisation
from tests.pool.reporting.kit import deal
from tests.web.conftest import World, post_form, sign_in
from tests.web.lists_kit import csv_rows, links, row_ids
from tests.web.test_licensee_pages import TERMS

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
NAMES = ["深圳华为样例", "100%_Tech", "Acme Devices", "acme labs", "Zeta Phones"]


def many(engine: Engine, world: World) -> dict[str, int]:
    """Five more licensees with one agreement each (the first two with filings overdue)."""
    base = deal(engine, world, royalty=TERMS)
    ids: dict[str, int] = {}
    with session_scope(engine) as s:
        template = s.get(LicenceAgreement, base.agreement_id)
        assert template is not None
        for n, name in enumerate(NAMES):
            org = Organisation(name=name, kind="private_company", country="CN", created_at=NOW)
            s.add(org)
            s.flush()
            row = LicenceAgreement(**{
                **template.model_dump(exclude={"id"}), "licensee_organisation_id": org.id,
                "signed_on": date(2025, 1 + n, 1), "start_on": date(2025, 1 + n, 1),
                "state": "draft" if n == 4 else "active",
                "filing_number": f"BA-{n}" if n >= 2 else None,
            })  # fmt: skip
            s.add(row)
            s.flush()
            ids[name] = row.id or 0
    ids["SME L"] = base.agreement_id
    return ids


def test_search_filters_sort_pager_and_csv(
    client: TestClient, engine: Engine, world: World
) -> None:
    ids = many(engine, world)
    sign_in(client, "admin@example.org")
    listed = client.get("/admin/agreements").text
    by_name = ("100%_Tech", "Acme Devices", "acme labs", "SME L", "Zeta Phones", NAMES[0])
    assert row_ids(listed, "agreement") == [ids[n] for n in by_name]
    acme = row_ids(client.get("/admin/agreements?q=ACME").text, "agreement")
    assert acme == [ids["Acme Devices"], ids["acme labs"]]  # case-insensitive
    assert row_ids(client.get("/admin/agreements?q=%25_").text, "agreement") == [
        ids["100%_Tech"]
    ]  # fmt: skip  (LIKE's own characters are taken literally)
    assert row_ids(client.get("/admin/agreements?q=华为").text, "agreement") == [ids[NAMES[0]]]
    assert row_ids(client.get("/admin/agreements?q=ba-3").text, "agreement") == [
        ids["acme labs"]]  # fmt: skip
    assert row_ids(client.get(f"/admin/agreements?q=%23{ids['SME L']}").text, "agreement") == [
        ids["SME L"]]  # fmt: skip
    drafts = row_ids(client.get("/admin/agreements?state=draft").text, "agreement")
    assert drafts == [ids["Zeta Phones"]]
    assert row_ids(client.get(f"/admin/agreements?pool={world.pool_id}").text, "agreement")
    assert row_ids(client.get("/admin/agreements?pool=99999").text, "agreement") == []
    overdue = row_ids(client.get("/admin/agreements?overdue_filing=yes").text, "agreement")
    assert overdue == [ids["100%_Tech"], ids["SME L"], ids[NAMES[0]]]  # signed Jan-Feb
    newest = row_ids(client.get("/admin/agreements?sort=-start").text, "agreement")
    assert newest[0] == ids["Zeta Phones"]
    by_state = row_ids(client.get("/admin/agreements?sort=state").text, "agreement")
    assert by_state[0] != ids["Zeta Phones"]
    assert by_state[-1] == ids["Zeta Phones"]
    junks = ("sort=nope", "state=gone", "pool=x", "page=-3", "overdue_filing=maybe", "page=1e9")
    for junk in junks:
        response = client.get(f"/admin/agreements?{junk}")
        assert response.status_code == 200, junk
        assert row_ids(response.text, "agreement") == row_ids(listed, "agreement"), junk
    csv_all = csv_rows(client.get("/admin/agreements?state=active&format=csv"))
    assert sorted(int(r["agreement"]) for r in csv_all) == sorted(
        ids[n] for n in ids if n != "Zeta Phones")  # fmt: skip
    assert {r["licensee"] for r in csv_all} >= {"深圳华为样例", "100%_Tech"}
    assert list(csv_all[0]) == ["agreement", "licensee", "pool", "state", "licence_type",
        "signed_on", "start_on", "end_on", "filing_number", "filed_on", "filing_due_on",
        "filing_overdue"]  # fmt: skip


def test_the_pager_keeps_every_filter(client: TestClient, engine: Engine, world: World) -> None:
    base = deal(engine, world, royalty=TERMS).agreement_id
    with session_scope(engine) as s:
        template = s.get(LicenceAgreement, base)
        assert template is not None
        for n in range(120):
            org = Organisation(name=f"Maker {n:03}", kind="private_company", country="CN",
                               created_at=NOW)  # fmt: skip
            s.add(org)
            s.flush()
            s.add(LicenceAgreement(**{
                **template.model_dump(exclude={"id"}), "licensee_organisation_id": org.id,
                "state": "draft" if n % 3 == 0 else "active",
                "start_on": date(2025, 1, 1 + n % 28),
            }))  # fmt: skip
    sign_in(client, "admin@example.org")
    first = client.get("/admin/agreements?state=active&q=maker&sort=-start")
    assert "80 matches" in first.text
    page_one = row_ids(first.text, "agreement")
    assert len(page_one) == 50
    (next_link,) = set(links(first.text, "Next page"))
    assert all(p in next_link for p in ("state=active", "q=maker", "sort=-start", "page=2"))
    second = client.get(next_link)
    page_two = row_ids(second.text, "agreement")
    assert len(page_two) == 30
    assert not set(page_one) & set(page_two)
    (previous_link,) = set(links(second.text, "Previous page"))
    assert all(p in previous_link for p in ("state=active", "q=maker", "sort=-start"))
    # the column's sort links (the menu's "Licensees" starts alike)
    header_links = [h for h in links(first.text, "Licensee") if h.startswith("/admin/agreements")]
    assert header_links
    assert all("state=active" in h and "q=maker" in h for h in header_links)
    (download,) = set(links(first.text, "Download CSV"))
    assert "page=" not in download
    assert "state=active" in download
    everything = csv_rows(client.get(download))
    assert [int(r["agreement"]) for r in everything] == page_one + page_two
    with Session(engine) as s:
        starts = {a: s.get(LicenceAgreement, a) for a in page_one + page_two}
    days = [starts[a].start_on for a in page_one + page_two]  # type: ignore[union-attr]
    assert days == sorted(days, reverse=True)


def test_a_state_change_needs_its_confirmation(
    client: TestClient, engine: Engine, world: World
) -> None:
    d = deal(engine, world, royalty=TERMS)
    sign_in(client, "admin@example.org")
    ask = f"/admin/agreements/{d.agreement_id}/move"
    chooser = client.get(ask)
    assert chooser.status_code == 200
    assert '<option value="" selected>' in chooser.text
    assert "terminated" in chooser.text
    nothing = client.get(f"{ask}?to=&on=2025-07-01")
    assert nothing.status_code == 422
    assert "choose the new state" in nothing.text
    shown = client.get(f"{ask}?to=terminated&on=2025-07-01&reason=unpaid")
    assert shown.status_code == 200
    assert "Terminate the licence of SME L under Test pool from" in shown.text
    assert "invoices already issued stay due; no new reports are accepted" in shown.text
    move = f"/admin/agreements/{d.agreement_id}/transitions"
    body = {"to": "terminated", "on": "2025-07-01", "reason": "unpaid"}
    refused = post_form(client, move, body, page=shown.request.url.raw_path.decode())
    assert refused.status_code == 422
    assert "confirm the change on this page" in refused.text
    with Session(engine) as s:
        assert s.get(LicenceAgreement, d.agreement_id).state == "active"  # type: ignore[union-attr]
    client.cookies.set("lang", "zh_CN")
    assert "终止" in client.get(f"{ask}?to=terminated&on=2025-07-01").text
    client.cookies.delete("lang")
    done = post_form(client, move, {**body, "confirm": "yes"}, page=ask)
    assert done.status_code == 303
    with Session(engine) as s:
        assert s.get(LicenceAgreement, d.agreement_id).state == "terminated"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("email", "status"),
    [("auditor@example.org", 403), ("sme@example.org", 404), ("big@example.org", 404),
     ("uni@example.org", 404), ("lab@example.org", 404)],
)  # fmt: skip
def test_only_administrators_open_the_confirmation(
    client: TestClient, engine: Engine, world: World, email: str, status: int
) -> None:
    d = deal(engine, world, royalty=TERMS)
    sign_in(client, email)
    ask = f"/admin/agreements/{d.agreement_id}/move"
    for url in (ask, f"{ask}?to=terminated&on=2025-07-01"):
        assert client.get(url, follow_redirects=False).status_code == status, url
    body = {"to": "terminated", "on": "2025-07-01", "confirm": "yes"}
    moved = post_form(client, f"/admin/agreements/{d.agreement_id}/transitions", body, page="/")
    assert moved.status_code == status
    with Session(engine) as s:
        assert s.get(LicenceAgreement, d.agreement_id).state == "active"  # type: ignore[union-attr]


def test_visitors_are_sent_to_sign_in_and_unknown_ids_are_not_found(
    client: TestClient, engine: Engine, world: World
) -> None:
    d = deal(engine, world, royalty=TERMS)
    ask = f"/admin/agreements/{d.agreement_id}/move"
    response = client.get(ask, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={ask}"
    listing = client.get("/admin/agreements?state=active", follow_redirects=False)
    assert listing.status_code == 303
    sign_in(client, "admin@example.org")
    assert client.get("/admin/agreements/99999/move").status_code == 404
    assert client.get("/admin/agreements/99999999999/move").status_code == 404
