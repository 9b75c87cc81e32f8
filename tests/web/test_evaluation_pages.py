"""The evaluation pages over real HTTP (issue 19): the evaluator's queue, the evidence viewer
and its downloads, the finding form, the owner's upload, the administrator's assignment and
the double-evaluation decision page; who may open each, and the Chinese pages."""

import re

from litestar.testing import TestClient

from tests.pool.evaluation.kit import (
    API,
    CHART,
    assign,
    bearer,
    evaluators,
    finding,
    ok,
    patent_under_evaluation,
    upload,
)
from tests.web.conftest import World, csrf_from, post_form, sign_in


def _chart(client: TestClient, world: World, patent: int) -> int:
    return int(ok(upload(client, world.contributor.headers, patent, CHART))["id"])


def test_an_evaluator_reads_the_chart_and_records_a_finding(
    client: TestClient, world: World
) -> None:
    patent = patent_under_evaluation(client, world)
    other = patent_under_evaluation(client, world, number="JP6123457B2")
    chart = _chart(client, world, patent)
    other_chart = _chart(client, world, other)
    ok(assign(client, world, patent, world.evaluator.user_id, "2025-05-01"))
    sign_in(client, "eve@example.org")
    queue = client.get("/evaluation")
    assert queue.status_code == 200
    assert "JP6123456B2" in queue.text
    assert "JP6123457B2" not in queue.text
    assert 'class="stacked"' in queue.text
    assert 'data-label="Assigned on"' in queue.text
    assert "2025-05-01" in queue.text or "1 May 2025" in queue.text
    menu = re.findall(r'<a href="(/[^"]*)"', queue.text.split("</nav>")[0])
    assert not [href for href in menu if href.startswith(("/admin", "/licensee", "/contributor"))]
    assert client.get("/evaluation?state=decided").text.count("JP6123456B2") == 0
    page = client.get(f"/evaluation/patents/{patent}")
    assert page.status_code == 200
    assert f"/evaluation/evidence/{chart}/download" in page.text
    assert "v1" in page.text
    download = client.get(f"/evaluation/evidence/{chart}/download")
    assert download.status_code == 200
    assert download.content == CHART
    assert download.headers["x-content-type-options"] == "nosniff"
    assert client.get(f"/evaluation/patents/{other}").status_code == 404
    assert client.get(f"/evaluation/evidence/{other_chart}/download").status_code == 404
    for money in (
        "/admin/runs",
        "/admin/invoices",
        "/licensee/invoices",
        "/contributor/statements",
    ):
        assert client.get(money, follow_redirects=False).status_code == 404, money
    form = {
        "claim_chart_id": str(chart),
        "section:5.1": "yes",
        "section:5.2": "no",
        "grade": "",
        "reasoning": "",
        "recorded_on": "2025-05-03",
    }
    refused = post_form(
        client, f"/evaluation/patents/{patent}/finding", form, page=f"/evaluation/patents/{patent}"
    )
    assert refused.status_code == 422
    assert 'id="e-reasoning"' in refused.text
    form["reasoning"] = "claim 1 reads on 5.1"
    done = post_form(
        client, f"/evaluation/patents/{patent}/finding", form, page=f"/evaluation/patents/{patent}"
    )
    assert done.status_code == 303, done.text
    after = client.get(done.headers["location"]).text
    assert "Your finding was recorded." in after
    assert "claim 1 reads on 5.1" in after
    assert 'action="/evaluation/patents/' + str(patent) + '/finding"' not in after


def test_an_owner_uploads_evidence_and_another_contributor_sees_none(
    client: TestClient, world: World
) -> None:
    patent = patent_under_evaluation(client, world)
    sign_in(client, "uni@example.org")
    page = f"/evaluation/patents/{patent}"
    assert page in client.get(f"/contributor/patents/{patent}").text
    viewer = client.get(page)
    assert viewer.status_code == 200
    assert 'enctype="multipart/form-data"' in viewer.text
    token = csrf_from(viewer)
    fields = {
        "kind": "claim_chart",
        "title": "Chart",
        "version_label": "v2",
        "standard_sections": "5.1",
        "_csrf_token": token,
    }
    filed = client.post(
        f"{page}/evidence", data=fields, files={"file": ("c.pdf", CHART)}, follow_redirects=False
    )
    assert filed.status_code == 303, filed.text
    again = client.post(f"{page}/evidence", data=fields, files={"file": ("c.pdf", CHART)})
    assert again.status_code == 409
    assert 'role="alert"' in again.text
    bad = client.post(f"{page}/evidence", data=fields, files={"file": ("x.pdf", b"MZ\x90\x00")})
    assert bad.status_code == 422
    assert 'id="e-file"' in bad.text
    assert "Chart" in client.get(page).text
    assert "v2" in client.get(page).text
    post_form(client, "/logout", {}, page="/")
    sign_in(client, "lab@example.org")
    assert client.get(page).status_code == 404
    assert client.get("/evaluation").status_code in (403, 404)


def test_the_administrator_assigns_and_decides_a_disagreement(
    client: TestClient, world: World
) -> None:
    patent = patent_under_evaluation(client, world)
    chart = _chart(client, world, patent)
    (second,) = evaluators(client, world, 1)
    sign_in(client, "admin@example.org")
    record = f"/admin/patents/{patent}/evaluation"
    assert record in client.get(f"/admin/patents/{patent}").text
    assert record in client.get("/admin/patents?status=waiting").text
    own = {
        u["id"]
        for u in ok(client.get(f"{API}/users?role=contributor", headers=world.admin.headers))[
            "items"
        ]
    }
    staff = world.contributor.user_id
    assert staff in own
    refused = post_form(
        client,
        f"{record}/assign",
        {"evaluator_user_id": str(staff), "assigned_on": "2025-05-01"},
        page=record,
    )
    assert refused.status_code == 422
    assert 'id="e-evaluator"' in refused.text  # the picker's field shows the chosen id's fault
    assert "the owner&#39;s own staff" in refused.text
    for user in (world.evaluator.user_id, int(second["id"])):
        done = post_form(
            client,
            f"{record}/assign",
            {"evaluator_user_id": str(user), "assigned_on": "2025-05-01"},
            page=record,
        )
        assert done.status_code == 303, done.text
    ok(finding(client, world.evaluator.headers, patent, chart, grade="A", on="2025-05-02"))
    ok(finding(client, bearer(second), patent, chart, grade="B", on="2025-05-03"))
    page = client.get(record).text
    assert 'id="decide"' in page
    assert page.count('class="card finding"') == 2
    assert "grade A" in page
    assert "grade B" in page
    form = {"essential": "yes", "grade": "B", "reasons": "", "decided_on": "2025-05-04"}
    refused = post_form(client, f"{record}/decide", form, page=record)
    assert refused.status_code == 422
    assert 'id="e-reasons"' in refused.text
    form["reasons"] = "claim 1 reads on 5.1 only partly"
    asked = post_form(client, f"{record}/decide", form, page=record)
    assert asked.status_code == 200
    assert "It cannot be undone" in asked.text
    assert "with grade B" in asked.text
    assert ok(client.get(f"{API}/patents/{patent}", headers=world.admin.headers))["grade"] is None
    decided = post_form(client, f"{record}/decide", {**form, "confirm": "decide"}, page=record)
    assert decided.status_code == 303, decided.text
    patent_read = ok(client.get(f"{API}/patents/{patent}", headers=world.admin.headers))
    assert patent_read["status"] == "accepted"
    assert patent_read["grade"] == "B"
    assert 'id="decide"' not in client.get(record).text
    post_form(client, "/logout", {}, page="/")
    sign_in(client, "auditor@example.org")
    read = client.get(record)
    assert read.status_code == 200
    assert 'action="' + record not in read.text
    post_form(client, "/logout", {}, page="/")
    sign_in(client, "eve@example.org")
    assert client.get(record, follow_redirects=False).status_code == 404


def test_the_evaluation_pages_in_chinese(client: TestClient, world: World) -> None:
    patent = patent_under_evaluation(client, world)
    _chart(client, world, patent)
    ok(assign(client, world, patent, world.evaluator.user_id, "2025-05-01"))
    sign_in(client, "eve@example.org")
    post_form(client, "/language", {"lang": "zh-CN", "next": "/"}, page="/")
    for path in ("/evaluation", f"/evaluation/patents/{patent}"):
        text = client.get(path).text
        assert '<html lang="zh-CN">' in text, path
        assert "My evaluations" not in text, path
        assert "Your finding" not in text, path
    post_form(client, "/logout", {}, page="/")
    sign_in(client, "admin@example.org")
    post_form(client, "/language", {"lang": "zh-CN", "next": "/"}, page="/")
    text = client.get(f"/admin/patents/{patent}/evaluation").text
    assert "Assign an evaluator" not in text
    assert "Evidence" not in text
