"""An evaluator in the portal (issue 19): the home page lists the patents assigned to them and
nothing else; every other role's pages are closed to them."""

from litestar.testing import TestClient

from tests.pool.evaluation.kit import API, assign, ok, patent_under_evaluation
from tests.web.conftest import World, post_form, sign_in


def test_an_evaluators_home_lists_their_assigned_patents(client: TestClient, world: World) -> None:
    sign_in(client, "eve@example.org")
    home = client.get("/")
    assert home.status_code == 200
    assert "Evaluator" in home.text
    assert "No patent is assigned to you yet." in home.text
    post_form(client, "/logout", {}, page="/")
    patent = patent_under_evaluation(client, world)
    other = patent_under_evaluation(client, world, number="JP6123457B2")
    ok(assign(client, world, patent, world.evaluator.user_id, "2025-05-01"))
    numbers = {
        p["id"]: p["number"]
        for p in ok(client.get(f"{API}/pools/{world.pool_id}/patents",
                               headers=world.admin.headers))["items"]
    }  # fmt: skip
    sign_in(client, "eve@example.org")
    home = client.get("/").text
    assert numbers[patent] in home
    assert numbers[other] not in home
    assert "Under evaluation" in home or "under evaluation" in home.lower()
    organisation = client.get("/organisation")
    assert organisation.status_code == 200
    assert "Agency E" in organisation.text
    for page in ("/admin", "/admin/patents", "/contributor/patents", "/licensee/agreements",
                 "/contributor/statements", "/licensee/invoices"):  # fmt: skip
        assert client.get(page, follow_redirects=False).status_code == 404, page
