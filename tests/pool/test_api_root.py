"""`GET /api/v1` (issue 17): the API's root answers anyone with links to its top-level
resources and to its documentation, and the OpenAPI document describes it."""

from litestar.testing import TestClient

from tests.pool.conftest import World

API = "/api/v1"


def test_the_root_links_every_top_level_resource_and_the_documentation(
    client: TestClient, world: World
) -> None:
    root = client.get(API)  # anonymous
    assert root.status_code == 200, root.text
    assert root.headers["content-type"].startswith("application/json")
    body = root.json()
    assert (body["name"], body["version"]) == ("patentpool API", "v1")
    links = body["links"]
    assert links["self"] == API
    assert (links["schema"], links["openapi"]) == ("/schema", "/schema/openapi.json")
    assert client.get(links["schema"]).status_code == 200
    document = client.get(links["openapi"]).json()
    for name in ("pools", "agreements", "invoices", "reports", "statements", "users", "me"):
        assert links[name] == f"{API}/{name}"
    assert links["login"] == f"{API}/auth/login"
    assert client.post(links["login"], json={}).status_code == 422  # there, and a POST
    for name, href in links.items():
        if name in ("self", "schema", "openapi", "login"):
            continue
        assert href in document["paths"], href
        assert "get" in document["paths"][href], href
        read = client.get(href, headers=world.admin.headers)
        assert read.status_code == 200, (href, read.text)


def test_the_openapi_document_describes_the_root(client: TestClient) -> None:
    document = client.get("/schema/openapi.json").json()
    operation = document["paths"][API]["get"]
    assert operation["security"] == [{}]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/ApiRoot")
    described = document["components"]["schemas"]["ApiRoot"]
    assert {"name", "version", "links"} <= set(described["properties"])
    assert operation["summary"] == "The API's root"
    assert "top-level resources" in operation["description"]
    assert set(operation["responses"]) == {"200"}  # no database: nothing to be busy
