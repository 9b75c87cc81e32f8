"""`/admin/reports` over real HTTP (issue 17): every licensee's usage reports searched by
licensee, filtered by licensee, agreement, period, status (filed, late, corrected, nil,
superseded) and the days filed, sorted by period, day filed and royalty, paged with its
filters, exported as CSV with the royalty in major units; staff only, and in Chinese."""

from datetime import UTC, date, datetime

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.db import session_scope
from pool.models.reporting import UsageReport
from tests.pool.billing import kit
from tests.web.conftest import World, sign_in
from tests.web.lists_kit import csv_rows, links, row_ids, visible_text

Q1, Q2 = (date(2025, 1, 1), date(2025, 4, 1)), (date(2025, 4, 1), date(2025, 7, 1))


def reports(engine: Engine, world: World) -> dict[str, int]:
    """SME L: Q1 filed on time with a royalty of $120.50, then corrected (its royalty $80);
    Big M: Q1 nil and late (due 1 May, filed 3 May), Q2 on time."""
    sme, big = world.licensee.organisation_id or 0, world.other_licensee.organisation_id or 0
    made: dict[str, int] = {}
    with session_scope(engine) as s:
        deals = {
            sme: kit.agreement(s, pool_id=world.pool_id, licensee_id=sme),
            big: kit.agreement(s, pool_id=world.pool_id, licensee_id=big),
        }
        for name, who, period, filed, nil, royalty in (
            ("replaced", sme, Q1, datetime(2025, 4, 20, 8, tzinfo=UTC), False, 120_50),
            ("correction", sme, Q1, datetime(2025, 4, 28, 23, tzinfo=UTC), False, 80_00),
            ("nil_late", big, Q1, datetime(2025, 5, 3, 1, tzinfo=UTC), True, None),
            ("q2", big, Q2, datetime(2025, 7, 10, 9, tzinfo=UTC), False, 10_00),
        ):
            report = UsageReport(
                agreement_id=deals[who], licensee_organisation_id=who, period_start=period[0],
                period_end=period[1], is_nil=nil, units_total=0 if nil else 10,
                content_sha256="0" * 64, submitted_at=filed,
                supersedes_id=made.get("replaced") if name == "correction" else None,
                status="superseded" if name == "replaced" else "accepted",
            )  # fmt: skip
            s.add(report)
            s.flush()
            made[name] = report.id or 0
            if royalty:
                invoice = kit.invoice(
                    s, agreement_id=deals[who], number=f"INV-{name.upper()}", usage=period,
                    issued_on=period[1], parts=[(None, royalty)],
                )  # fmt: skip
                invoice.report_id = report.id
                invoice.status = "cancelled" if name == "replaced" else "open"
    made["sme_deal"], made["big"] = deals[sme], big
    return made


def test_filters_sorts_pages_and_csv(client: TestClient, engine: Engine, world: World) -> None:
    made = reports(engine, world)
    sign_in(client, "admin@example.org")
    listed = client.get("/admin/reports")
    assert listed.status_code == 200
    newest = [made[n] for n in ("q2", "nil_late", "correction", "replaced")]
    assert row_ids(listed.text, "report") == newest

    def shown(query: str) -> list[int]:
        response = client.get(f"/admin/reports?{query}")
        assert response.status_code == 200, query
        return row_ids(response.text, "report")

    assert shown("status=filed") == [made[n] for n in ("q2", "nil_late", "correction")]
    assert shown("status=late") == [made["nil_late"]]
    assert shown("status=corrected") == [made["correction"]]
    assert shown("status=nil") == [made["nil_late"]]
    assert shown("status=superseded") == [made["replaced"]]
    assert shown("q=sme") == [made["correction"], made["replaced"]]
    assert shown(f"licensee={made['big']}") == [made["q2"], made["nil_late"]]
    assert shown(f"agreement={made['sme_deal']}") == [made["correction"], made["replaced"]]
    assert shown("period=2025-04-01") == [made["q2"]]
    assert shown("from=2025-04-28&to=2025-05-03") == [made["nil_late"], made["correction"]]
    same_period_by_id = ("correction", "nil_late", "q2")
    assert shown("sort=period&status=filed") == [made[n] for n in same_period_by_id]
    assert shown("sort=-royalty") == [made[n] for n in ("correction", "q2", "nil_late",
                                                       "replaced")]  # fmt: skip
    assert shown("sort=filed") == newest[::-1]
    for junk in ("status=lost", "period=2025-13-01", "licensee=0", "sort=units", "page=x"):
        assert shown(junk) == newest, junk
    assert "$80.00" in listed.text

    rows = csv_rows(client.get("/admin/reports?status=filed&sort=-royalty&format=csv"))
    assert [int(r["report"]) for r in rows] == [made[n] for n in ("correction", "q2", "nil_late")]
    assert (rows[0]["currency"], rows[0]["royalty"], rows[0]["status"]) == (
        "USD", "80.00", "corrected")  # fmt: skip
    assert (rows[2]["late"], rows[2]["nil"], rows[2]["royalty"]) == ("yes", "yes", "")
    (download,) = set(links(client.get("/admin/reports?q=big").text, "Download CSV"))
    exported = [int(r["report"]) for r in csv_rows(client.get(download))]
    assert exported == [made["q2"], made["nil_late"]]


def test_pages_keep_the_filters(client: TestClient, engine: Engine, world: World) -> None:
    sme = world.licensee.organisation_id or 0
    with session_scope(engine) as s:
        deal = kit.agreement(s, pool_id=world.pool_id, licensee_id=sme)
        for n in range(60):
            start = date(2010 + n // 4, 1 + 3 * (n % 4), 1)
            s.add(UsageReport(
                agreement_id=deal, licensee_organisation_id=sme, period_start=start,
                period_end=start, is_nil=True, content_sha256="0" * 64,
                submitted_at=datetime(2025, 1, 1, tzinfo=UTC),
            ))  # fmt: skip
    sign_in(client, "admin@example.org")
    first = client.get("/admin/reports?status=nil&sort=period")
    assert len(row_ids(first.text, "report")) == 50
    (second,) = set(links(first.text, "Next page"))
    assert "status=nil" in second
    assert "sort=period" in second
    assert len(row_ids(client.get(second).text, "report")) == 10
    assert len(csv_rows(client.get("/admin/reports?status=nil&format=csv"))) == 60


@pytest.mark.parametrize("email", ["sme@example.org", "big@example.org", "uni@example.org",
                                   "lab@example.org"])  # fmt: skip
def test_licensees_and_contributors_get_no_report_list(
    client: TestClient, engine: Engine, world: World, email: str
) -> None:
    made = reports(engine, world)
    sign_in(client, email)
    for url in ("/admin/reports", f"/admin/reports?licensee={made['big']}&format=csv"):
        assert client.get(url, follow_redirects=False).status_code == 404, url


def test_auditors_read_it(client: TestClient, engine: Engine, world: World) -> None:
    reports(engine, world)
    sign_in(client, "auditor@example.org")
    assert len(row_ids(client.get("/admin/reports").text, "report")) == 4


def test_in_chinese(client: TestClient, engine: Engine, world: World) -> None:
    reports(engine, world)
    client.cookies.set("lang", "zh-CN")
    sign_in(client, "admin@example.org")
    text = visible_text(client.get("/admin/reports").text)
    assert "逾期提交" in text
    assert "已更正" in text
    for english in ("Usage reports", "Filed", "Royalty", "Period", "Status", "Superseded",
                    "Corrected", "late", "remove", "Download CSV", "Sort by"):  # fmt: skip
        assert english not in text, english
