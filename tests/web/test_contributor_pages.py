"""The contributor's pages over real HTTP: its own patents only (list, filters, paging, submit,
CSV upload all or nothing), its own statements (list, chart, downloads of the stored bytes),
nothing for any other role, CSRF on every form."""

import re
from datetime import UTC, date, datetime

import pytest
from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.db import session_scope
from pool.models.distribution import Statement, StatementDocument
from pool.models.patent import Patent
from pool.web import charts
from tests.conftest import FakeClock
from tests.pool.distribution import kit
from tests.pool.licensing.helpers import API, ok
from tests.web.conftest import World, csrf_from, post_form, sign_in

PATENTS = "/contributor/patents"
STATEMENTS = "/contributor/statements"
DEALS = "/contributor/deals"
GOOD_CSV = (
    "number,title,filing_date,grant_date,standard_sections\n"
    "US10123456B2,Video coding,2019-01-15,2021-03-02,5.1;7.3\n"
    "CN112345678B,Audio coding,2018-05-02,,\n"
)
BAD_CSV = (
    "number,title,filing_date,grant_date,standard_sections\n"
    "US10123456B2,Video coding,2019-01-15,2021-03-02,5.1;7.3\n"
    "US1234,Short number,2019-01-15,,\n"
    "CN112345678B,Audio coding,not a date,,\n"
    "US10123456B2,The same again,2019-01-15,,\n"
)


def own_patent_count(engine: Engine, organisation_id: int | None) -> int:
    with Session(engine) as db:
        rows = db.exec(select(Patent.id).where(Patent.owner_organisation_id == organisation_id))
        return len(rows.all())


def submit_form(client: TestClient, world: World, **values: str) -> Response:
    data = {"pool_id": str(world.pool_id), "title": "Video coding", "filing_date": "2019-01-15"}
    return post_form(client, f"{PATENTS}/new", {**data, **values}, page=f"{PATENTS}/new")


def upload(client: TestClient, world: World, content: bytes, name: str = "patents.csv") -> Response:
    token = csrf_from(client.get(f"{PATENTS}/import"))
    return client.post(
        f"{PATENTS}/import",
        data={"pool_id": str(world.pool_id), "_csrf_token": token},
        files={"file": (name, content, "text/csv")},
        follow_redirects=False,
    )


def graded_patent(client: TestClient, world: World, number: str, grade: str) -> int:
    """Submitted by the contributor through the API, accepted with a grade by the admin."""
    body = {
        "number": number,
        "title": f"Codec {number}",
        "filing_date": "2019-01-15",
        "grant_date": "2021-03-02",
    }
    url = f"{API}/pools/{world.pool_id}/patents"
    patent_id = int(ok(client.post(url, json=body, headers=world.contributor.headers))["id"])
    ok(client.post(f"{API}/patents/{patent_id}/evaluation", headers=world.admin.headers))
    accept = {"admitted_on": "2024-06-01", "grade": grade}
    ok(client.post(f"{API}/patents/{patent_id}/accept", json=accept, headers=world.admin.headers))
    return patent_id


def test_my_patents_show_status_and_grade_and_only_mine(
    client: TestClient, engine: Engine, world: World
) -> None:
    graded_patent(client, world, "US10123456B2", "A")
    sign_in(client, "uni@example.org")
    assert submit_form(client, world, number="US10123457B2", title="Not yet").status_code == 303
    kit.patent(engine, world, "other_contributor", "US", date(2020, 1, 1))
    page = client.get(PATENTS)
    assert page.status_code == 200
    assert "US10123456B2" in page.text
    assert "US10123457B2" in page.text
    assert "Lab B" not in page.text
    assert "US7000002B2" not in page.text  # the other contributor's
    assert re.search(r"Accepted</span></td>\s*<td[^>]*>A</td>", page.text)
    assert re.search(r"Submitted</span></td>\s*<td[^>]*>–</td>", page.text)
    assert "2 patents found." in page.text

    only_a = client.get(PATENTS, params={"grade": "A", "status": ""})
    assert "US10123456B2" in only_a.text
    assert "US10123457B2" not in only_a.text
    submitted_only = client.get(PATENTS, params={"status": "submitted", "q": "not"})
    assert "US10123457B2" in submitted_only.text
    assert "US10123456B2" not in submitted_only.text
    assert client.get(PATENTS, params={"status": "nonsense"}).status_code == 422


def test_the_patent_list_pages_and_keeps_its_filters(
    client: TestClient, engine: Engine, world: World
) -> None:
    for _ in range(30):
        kit.patent(engine, world, "contributor", "CN", date(2020, 1, 1))
    sign_in(client, "uni@example.org")
    first = client.get(PATENTS, params={"status": "accepted"})
    assert "30 patents found." in first.text
    assert first.text.count('href="/contributor/patents/') == 25 + 2  # rows, submit, upload
    assert f"?pool={world.pool_id}&amp;status=accepted&amp;page=2" in first.text
    second = client.get(PATENTS, params={"status": "accepted", "page": "2"})
    assert second.text.count("<tr>") == 1 + 5  # header and five rows
    assert "Previous page" in second.text
    assert "Next page" not in second.text


def test_submitting_a_patent_by_form(client: TestClient, engine: Engine, world: World) -> None:
    sign_in(client, "uni@example.org")
    done = submit_form(client, world, number="US10123456B2", standard_sections="5.1; 7.3")
    assert done.status_code == 303
    location = done.headers["location"]
    found = re.fullmatch(r"/contributor/patents/(\d+)\?submitted=true", location)
    assert found
    patent_id = int(found[1])
    shown = client.get(location)
    assert "Your patent was submitted." in shown.text
    assert "5.1, 7.3" in shown.text
    with Session(engine) as db:
        patent = db.get(Patent, patent_id)
        assert patent is not None
        assert patent.owner_organisation_id == world.contributor.organisation_id
        assert (patent.status, patent.standard_sections) == ("submitted", ["5.1", "7.3"])


def test_errors_appear_on_the_form_and_nothing_is_saved(
    client: TestClient, engine: Engine, world: World
) -> None:
    sign_in(client, "uni@example.org")
    bad_number = submit_form(client, world, number="US1234")
    assert bad_number.status_code == 422
    text = bad_number.text
    assert 'id="e-number"' in text
    assert "a US utility patent number has 7-8 digits" in text
    assert 'value="US1234"' in text  # what was typed is kept

    no_title = submit_form(client, world, number="US10123456B2", title="")
    assert no_title.status_code == 422
    assert re.search(r'id="e-title">required<', no_title.text)

    dates = submit_form(client, world, number="US10123456B2", grant_date="2018-01-01")
    assert re.search(r'id="e-grant_date">must not be before filing_date<', dates.text)

    not_mine = submit_form(client, world, number="US10123456B2", pool_id="999999")
    assert not_mine.status_code == 422
    assert "Choose one of your pools." in not_mine.text
    assert own_patent_count(engine, world.contributor.organisation_id) == 0

    assert submit_form(client, world, number="US10123456B2").status_code == 303
    again = submit_form(client, world, number="US10123456B2")
    assert again.status_code == 409
    assert "patent US10123456B2 is already in this pool" in again.text
    client.cookies.set("lang", "zh-CN")
    chinese = submit_form(client, world, number="US10123456B2", title="")
    assert "必填" in chinese.text
    assert own_patent_count(engine, world.contributor.organisation_id) == 1


def test_a_csv_with_errors_lists_them_by_line_and_column_and_saves_nothing(
    client: TestClient, engine: Engine, world: World
) -> None:
    sign_in(client, "uni@example.org")
    refused = upload(client, world, BAD_CSV.encode())
    assert refused.status_code == 422
    rows = re.findall(
        r'<tr><td class="num">(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>', refused.text
    )
    assert [(line, column) for line, column, _ in rows] == [
        ("3", "number"),
        ("4", "filing_date"),
        ("5", "number"),
    ]
    assert "also on line 2" in rows[2][2]
    assert "3 problems found in the file. Nothing was imported" in refused.text
    assert own_patent_count(engine, world.contributor.organisation_id) == 0

    header = upload(client, world, b"number;title;filing_date\nUS10123456B2;X;2019-01-15\n")
    assert header.status_code == 422
    assert "fields separated by semicolons, not commas" in header.text
    unknown = upload(client, world, b"number,title,filing_date,colour\n")
    assert re.search(r'<td class="num">1</td><td>colour</td><td>unknown column</td>', unknown.text)
    assert upload(client, world, b"\xff\xfe").status_code == 422

    accepted = upload(client, world, GOOD_CSV.encode("utf-8-sig"))
    assert accepted.status_code == 303
    assert accepted.headers["location"] == f"{PATENTS}?pool={world.pool_id}&imported=2"
    listed = client.get(accepted.headers["location"])
    assert "2 patents were imported and await evaluation." in listed.text
    assert "CN112345678B" in listed.text
    assert own_patent_count(engine, world.contributor.organisation_id) == 2


def test_an_upload_without_a_file_is_refused_on_the_form(client: TestClient, world: World) -> None:
    sign_in(client, "uni@example.org")
    token = csrf_from(client.get(f"{PATENTS}/import"))
    response = client.post(
        f"{PATENTS}/import",
        data={"pool_id": str(world.pool_id), "_csrf_token": token},
        files={"file": ("", b"", "application/octet-stream")},
        follow_redirects=False,
    )
    assert response.status_code == 422
    assert re.search(r'id="e-file">Choose a CSV file to upload.<', response.text)


def issued_statements(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> dict[str, int]:
    """Two quarters of money through the real services: statements of Q2 and Q3 2025."""
    kit.worked_example(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    q2 = kit.close(client, world, "2025-04-01")
    kit.approve(client, world, q2["id"])
    kit.issue(client, world, q2["id"])
    kit.pay(client, world, "Q3-1", 50050, "2025-08-15", clock)
    clock.now = datetime(2025, 11, 1, 9, tzinfo=UTC)
    q3 = kit.close(client, world, "2025-07-01")
    kit.approve(client, world, q3["id"])
    kit.issue(client, world, q3["id"])
    with Session(engine) as db:
        found = db.exec(select(Statement).order_by(col(Statement.period_start))).all()
        by_owner = {(s.contributor_organisation_id, s.period_start.month): s.id or 0 for s in found}
    return {
        "mine_q2": by_owner[(world.contributor.organisation_id or 0, 4)],
        "mine_q3": by_owner[(world.contributor.organisation_id or 0, 7)],
        "theirs": by_owner[(world.other_contributor.organisation_id or 0, 4)],
    }


def test_statements_list_chart_and_downloads_of_the_stored_bytes(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    ids = issued_statements(client, engine, world, clock)
    sign_in(client, "uni@example.org")
    page = client.get(STATEMENTS)
    assert page.status_code == 200
    serial_q2 = f"PP{world.pool_id:04d}-202504-{world.contributor.organisation_id:06d}"
    assert serial_q2 in page.text
    assert "$405.07" in page.text  # net payable of each period
    assert "$202.73" in page.text
    assert f"-{world.other_contributor.organisation_id:06d}" not in page.text
    assert page.text.count("<rect ") == 2  # a bar per period in the chart
    assert "Net royalties per statement period: Test pool" in page.text
    for fmt in ("html", "pdf", "csv"):
        assert f'href="{STATEMENTS}/{ids["mine_q2"]}/documents/{fmt}" download' in page.text

    with Session(engine) as db:
        stored = {
            d.format: d
            for d in db.exec(
                select(StatementDocument).where(StatementDocument.statement_id == ids["mine_q2"])
            )
        }
    for fmt, content_type in (
        ("html", "text/html; charset=utf-8"),
        ("pdf", "application/pdf"),
        ("csv", "text/csv; charset=utf-8"),
    ):
        response = client.get(f"{STATEMENTS}/{ids['mine_q2']}/documents/{fmt}")
        assert response.status_code == 200
        assert response.content == stored[fmt].content
        assert response.headers["content-type"] == content_type
        assert response.headers["content-disposition"] == (
            f'attachment; filename="{serial_q2}.{fmt}"'
        )
        assert response.headers["x-content-sha256"] == stored[fmt].sha256
    assert client.get(f"{STATEMENTS}/{ids['mine_q2']}/documents/pdf").content.startswith(b"%PDF")

    detail = client.get(f"{STATEMENTS}/{ids['mine_q2']}")
    assert detail.status_code == 200
    assert stored["pdf"].sha256 in detail.text
    assert "$405.07" in detail.text


def test_the_royalty_chart_is_drawn_from_prepared_numbers() -> None:
    day = date(2025, 1, 1)
    drawn = charts.bar_chart(
        [charts.Point(day, day, 300), charts.Point(day, day, -100), charts.Point(day, day, 0)],
        "USD",
    )
    plot = charts.HEIGHT - charts.TOP - charts.BOTTOM
    up, down, flat = drawn.bars
    assert drawn.baseline_y == charts.TOP + round(plot * 3 / 4)
    assert (up.y, up.y + up.height) == (charts.TOP, drawn.baseline_y)
    assert (down.y, down.negative) == (drawn.baseline_y, True)
    assert up.height + down.height == plot  # together they span the whole plot
    assert abs(up.height - plot * 3 / 4) <= 0.5  # in proportion, to the nearest pixel
    assert flat.height == 0
    assert (up.value_y, down.value_y) == (up.y - 6, drawn.baseline_y - 6)
    assert up.x < down.x < flat.x
    assert [t.amount_minor for t in drawn.ticks] == [300, 0, -100]
    empty = charts.bar_chart([charts.Point(day, day, 0)], "USD")
    assert empty.bars[0].height == 0


def test_the_chart_speaks_chinese_too(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    issued_statements(client, engine, world, clock)
    sign_in(client, "uni@example.org")
    client.cookies.set("lang", "zh-CN")
    page = client.get(STATEMENTS)
    assert "US$405.07" in page.text
    assert "2025-04" in page.text
    assert '<html lang="zh-CN">' in page.text


def test_another_contributors_patents_and_statements_are_not_found(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    ids = issued_statements(client, engine, world, clock)
    theirs = kit.patent(engine, world, "other_contributor", "US", date(2020, 1, 1))
    sign_in(client, "uni@example.org")
    for url in (
        f"{PATENTS}/{theirs}",
        f"{STATEMENTS}/{ids['theirs']}",
        f"{STATEMENTS}/{ids['theirs']}/documents/pdf",
        f"{STATEMENTS}/{ids['theirs']}/documents/csv",
        f"{STATEMENTS}/999999",
        f"{PATENTS}?pool=999999",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-type"].startswith("text/html")
        assert "Lab B" not in response.text


@pytest.mark.parametrize("email", ["sme@example.org", "admin@example.org", "auditor@example.org"])
def test_other_roles_have_no_contributor_pages_and_no_links_to_them(
    client: TestClient, engine: Engine, world: World, email: str
) -> None:
    mine = kit.patent(engine, world, "contributor", "CN", date(2020, 1, 1))
    sign_in(client, email)
    for url in (
        PATENTS, f"{PATENTS}/{mine}", f"{PATENTS}/new", f"{PATENTS}/import", STATEMENTS, DEALS,
        f"{DEALS}/1/end",
    ):  # fmt: skip
        assert client.get(url, follow_redirects=False).status_code == 404, url
    assert "/contributor/" not in client.get("/").text


def test_visitors_are_sent_to_the_login_page(client: TestClient, world: World) -> None:
    for url in (PATENTS, f"{STATEMENTS}/1", f"{STATEMENTS}/1/documents/pdf", DEALS):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=/contributor/")


def test_the_contributor_menu_links_its_pages(client: TestClient, world: World) -> None:
    sign_in(client, "uni@example.org")
    home = client.get("/").text
    assert f'href="{PATENTS}"' in home
    assert f'href="{STATEMENTS}"' in home
    assert f'href="{DEALS}"' in home


def test_the_patent_form_needs_its_csrf_token(
    client: TestClient, engine: Engine, world: World
) -> None:
    sign_in(client, "uni@example.org")
    client.get(f"{PATENTS}/new")  # the CSRF cookie is set; the forms' copy is left out
    form = {"pool_id": str(world.pool_id), "number": "US10123456B2", "title": "X"}
    refused = client.post(f"{PATENTS}/new", data={**form, "filing_date": "2019-01-15"})
    assert refused.status_code == 403
    assert "This form has expired" in refused.text
    assert own_patent_count(engine, world.contributor.organisation_id) == 0


# Litestar's CSRF middleware parses the multipart form to find the token and leaves its
# upload spooled in memory when it refuses the request; it is freed unclosed.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_upload_form_needs_its_csrf_token(
    client: TestClient, engine: Engine, world: World
) -> None:
    sign_in(client, "uni@example.org")
    client.get(f"{PATENTS}/import")
    forged = client.post(
        f"{PATENTS}/import",
        data={"pool_id": str(world.pool_id), "_csrf_token": "forged"},
        files={"file": ("p.csv", GOOD_CSV.encode(), "text/csv")},
    )
    assert forged.status_code == 403
    assert "This form has expired" in forged.text
    with session_scope(engine) as db:
        assert db.exec(select(Patent.id)).all() == []


def test_the_import_form_is_a_multipart_form_with_its_csrf_token(
    client: TestClient, world: World
) -> None:
    sign_in(client, "uni@example.org")
    html = client.get(f"{PATENTS}/import").text
    form = re.search(
        rf'<form method="post" action="{PATENTS}/import"[^>]*>(.*?)</form>', html, re.S
    )
    assert form is not None
    assert 'enctype="multipart/form-data"' in form.group(0).split(">", 1)[0]
    assert form.group(1).count('name="_csrf_token"') == 1
    assert 'type="file"' in form.group(1)


def test_the_forms_name_the_offices_whose_numbers_are_accepted(
    client: TestClient, world: World
) -> None:
    sign_in(client, "uni@example.org")
    offices = "AU, CA, CN, DE, EP, FR, GB, IN, JP, KR, TW, US, WO"
    assert f"Accepted offices: {offices}." in client.get(f"{PATENTS}/new").text
    assert f"accepted: {offices} (WO:" in client.get(f"{PATENTS}/import").text
    client.cookies.set("lang", "zh-CN")
    assert f"可接受的专利局：{offices}。" in client.get(f"{PATENTS}/new").text
