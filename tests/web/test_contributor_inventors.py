"""A contributor records its patent's inventors on the patent's page: one per line, shares
adding up to 100; a refused form keeps what was typed and says why, in the page's language."""

from litestar.testing import TestClient

from tests.pool.conftest import World
from tests.pool.test_patents import submit
from tests.web.conftest import post_form, sign_in


def test_a_contributor_sets_the_inventors_of_its_patent(client: TestClient, world: World) -> None:
    patent_id = submit(client, world).json()["id"]
    page = f"/contributor/patents/{patent_id}"
    sign_in(client, "uni@example.org")
    assert "No inventors recorded yet." in client.get(page).text
    typed = "Li Wei; T-0012; 50\nZhang Min; ; 30\nWang Fang; ; 19.99"
    refused = post_form(client, f"{page}/inventors", {"inventors": typed}, page=page)
    assert refused.status_code == 422
    assert "the inventors&#39; shares must add up to exactly 100 %" in refused.text
    assert "Wang Fang; ; 19.99" in refused.text  # kept as typed
    done = post_form(client, f"{page}/inventors", {"inventors": typed[:-5] + "20"}, page=page)
    assert done.status_code == 303
    shown = client.get(f"{page}?saved=true").text
    assert "The inventors were saved." in shown
    for name, share in (("Li Wei", "50%"), ("Zhang Min", "30%"), ("Wang Fang", "20%")):
        assert name in shown
        assert share in shown
    bad = post_form(client, f"{page}/inventors", {"inventors": "Li Wei, 100"}, page=page)
    assert "name; staff number (or nothing); share in percent." in bad.text
    post_form(client, "/language", {"lang": "zh-CN", "next": "/"}, page="/")
    chinese = client.get(page).text
    assert "发明人" in chinese
    assert "T-0012" in chinese
    again = post_form(client, f"{page}/inventors", {"inventors": "李伟; ; 90"}, page=page)
    assert "各发明人的份额之和必须恰好为 100%" in again.text


def test_another_contributors_patent_has_no_inventors_page(
    client: TestClient, world: World
) -> None:
    patent_id = submit(client, world).json()["id"]
    sign_in(client, "lab@example.org")
    assert client.get(f"/contributor/patents/{patent_id}").status_code == 404
    tried = post_form(
        client,
        f"/contributor/patents/{patent_id}/inventors",
        {"inventors": "Mallory; ; 100"},
        page="/contributor/patents",
    )
    assert tried.status_code == 404
    sign_in(client, "uni@example.org")
    assert "Mallory" not in client.get(f"/contributor/patents/{patent_id}").text


def test_the_statements_page_offers_the_inventor_report_for_download(
    client: TestClient, world: World
) -> None:
    patent_id = submit(client, world).json()["id"]
    body = {"inventors": [{"name": "Li Wei", "share_percent": "100"}]}
    client.put(
        f"/api/v1/patents/{patent_id}/inventors", json=body, headers=world.contributor.headers
    )
    sign_in(client, "uni@example.org")
    assert "Inventor remuneration report" in client.get("/contributor/statements").text
    got = client.get("/contributor/inventor-remuneration", params={"year": 2025, "format": "csv"})
    assert got.status_code == 200
    assert 'filename="inventor-remuneration-2025-pool-' in got.headers["content-disposition"]
    rows = got.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("year,pool,currency,rate,patent")
    assert rows[-1].startswith("2025,Test pool,USD,0.1,TOTAL")  # nothing paid yet: zeros
    refused = client.get("/contributor/inventor-remuneration", params={"rate": "150"})
    assert refused.status_code == 422
    api = client.get(
        f"/api/v1/organisations/{world.contributor.organisation_id}/inventor-remuneration",
        params={"rate": "abc"},
        headers=world.contributor.headers,
    )
    assert api.status_code in (400, 422)
    assert "rate" in api.text
    sign_in(client, "sme@example.org")
    assert client.get("/contributor/inventor-remuneration").status_code == 404
