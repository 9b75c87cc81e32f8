"""The grade history on the administrator's patent page and on the contributor's (issue 19):
each change from its date, with its source, reason and recorder, in the page's language."""

from litestar.testing import TestClient

from tests.pool.conftest import World
from tests.pool.test_authorization_grades import accepted
from tests.web.conftest import post_form, sign_in


def test_both_patent_pages_show_the_grade_history(client: TestClient, world: World) -> None:
    patent_id = accepted(client, world, "contributor", "US10123456B2")
    r = client.post(
        f"/api/v1/patents/{patent_id}/grades",
        json={"tier": "3", "effective_on": "2025-02-15", "reason": "claim 4 narrowed"},
        headers=world.admin.headers,
    )
    assert r.status_code == 201, r.text
    for email, page in (
        ("admin@example.org", f"/admin/patents/{patent_id}"),
        ("uni@example.org", f"/contributor/patents/{patent_id}"),
    ):
        sign_in(client, email)
        shown = client.get(page)
        assert shown.status_code == 200, shown.text
        assert "Grade history" in shown.text
        assert "claim 4 narrowed" in shown.text
        assert "Administrator's regrade" in shown.text
        assert "Admission" in shown.text
        post_form(client, "/language", {"lang": "zh-CN", "next": "/"}, page="/")
        chinese = client.get(page).text
        assert "分级记录" in chinese
        assert "管理人重新分级" in chinese
        assert "入池评定" in chinese
        post_form(client, "/language", {"lang": "en", "next": "/"}, page="/")
    sign_in(client, "lab@example.org")
    assert client.get(f"/contributor/patents/{patent_id}").status_code == 404
