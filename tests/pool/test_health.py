from litestar.testing import TestClient


def test_liveness_needs_no_database_or_token(client: TestClient) -> None:
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_checks_the_database(client: TestClient) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_readiness_reports_an_unreachable_database(client: TestClient) -> None:
    from pool.db import make_engine

    client.app.state.engine = make_engine("sqlite:////nonexistent-dir/x/db.sqlite3")
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    echoed = client.get("/health/live", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    generated = client.get("/health/live")
    assert len(generated.headers["x-request-id"]) == 32


def test_openapi_schema_is_served(client: TestClient) -> None:
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/pools" in paths
    assert "/api/v1/pools/{pool_id}/patents/import" in paths
