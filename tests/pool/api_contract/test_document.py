"""What `/schema/openapi.json` says, read from the running app: every operation lists the
errors an operation of its kind can answer, each a `ProblemDetails` document, and nothing in
Litestar's own error shape; login and token creation say what they return; lists are pages."""

import json
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.pool.api_contract.contract import (
    API,
    PROBLEM,
    PROBLEM_REF,
    Document,
    load,
    operations,
    resolve,
)

PAGE = {"items", "total", "limit", "offset"}
OWN_ACCOUNT = (f"{API}/auth/", f"{API}/me/")  # and `/me` itself
LOGIN = f"{API}/auth/login"


@pytest.fixture
def document(client: TestClient) -> Document:
    return load(client)


def expected_errors(method: str, path: str, operation: dict[str, Any]) -> set[int]:
    """The rule of `pool.openapi.kinds`, stated again in the document's own terms."""
    if path.startswith("/health"):
        return {503} if path == "/health/ready" else set()
    body = operation.get("requestBody", {}).get("content", {})
    places = {p["in"] for p in operation.get("parameters", [])}
    token = operation.get("security") != [{}]
    scoped = token and not (path == f"{API}/me" or path.startswith(OWN_ACCOUNT))
    writes = method != "GET"
    rules = {
        400: "application/json" in body or "multipart/form-data" in body,  # unparsable
        401: token or path == LOGIN,
        403: scoped,
        404: "path" in places or scoped,
        409: writes,
        413: bool(body),
        422: bool(body) or bool(places & {"query", "header"}) or (scoped and writes),
        429: path == LOGIN,
        503: path != API,  # every operation but the root's links uses the database
    }
    return {status for status, holds in rules.items() if holds}


def errors_of(operation: dict[str, Any]) -> set[int]:
    return {int(s) for s in operation["responses"] if int(s) >= 400}


def test_each_kind_of_operation_documents_the_errors_it_can_answer(document: Document) -> None:
    wrong = {
        (method, path): (errors_of(operation), expected)
        for method, path, operation in operations(document)
        if errors_of(operation) != (expected := expected_errors(method, path, operation))
    }
    assert wrong == {}
    assert sum(1 for _ in operations(document)) >= 89


def test_every_error_is_a_problem_document(document: Document) -> None:
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) < 400 or (path, status) == ("/health/ready", "503"):
                continue
            assert response["content"] == {PROBLEM: {"schema": {"$ref": PROBLEM_REF}}}, (
                method,
                path,
                status,
            )
            assert response["description"]
    text = json.dumps(document)
    assert "Validation Exception" not in text  # Litestar's own error shape
    assert '"status_code"' not in text


def test_the_problem_schema_is_rfc_9457_with_the_apis_members(document: Document) -> None:
    schemas = document["components"]["schemas"]
    problem = schemas["ProblemDetails"]
    assert set(problem["properties"]) == {
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "request_id",
        "errors",
    }
    assert set(problem["required"]) == set(problem["properties"]) - {"errors"}
    assert problem["properties"]["type"]["format"] == "uri"
    assert problem["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/FieldProblem"}
    fault = schemas["FieldProblem"]
    assert set(fault["properties"]) == {"message", "field", "line", "column"}
    assert fault["required"] == ["message"]


def test_errors_document_their_headers(document: Document) -> None:
    headers = {"401": "WWW-Authenticate", "429": "Retry-After", "503": "Retry-After"}
    for _, _, operation in operations(document):
        for status, name in headers.items():
            if status in operation["responses"]:
                assert name in operation["responses"][status]["headers"]


def test_login_and_token_creation_say_what_they_return(document: Document) -> None:
    login = document["paths"][LOGIN]["post"]
    answer = login["responses"]["200"]["content"]["application/json"]
    signed_in = resolve(document, answer["schema"])
    assert {"token", "expires_at", "user"} <= set(signed_in["properties"])
    assert login["security"] == [{}]  # no token needed to get one
    created = document["paths"][f"{API}/me/tokens"]["post"]["responses"]["201"]
    issued = resolve(document, created["content"]["application/json"]["schema"])
    assert {"token", "id", "name", "expires_at"} <= set(issued["properties"])


def test_only_public_operations_need_no_token(document: Document) -> None:
    public = {
        (method, path)
        for method, path, operation in operations(document)
        if operation.get("security") == [{}]
    }
    assert public == {
        (method, path)
        for method, path, _ in operations(document)
        if path.startswith((f"{API}/public/", "/health/")) or path in (API, LOGIN)
    }


def test_lists_are_pages(document: Document) -> None:
    for method, path, operation in operations(document):
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        ok = operation["responses"].get("200", {}).get("content", {}).get("application/json")
        if method != "GET" or ok is None:
            continue
        schema = resolve(document, ok["schema"])
        assert schema.get("type") != "array", f"{path} answers a bare array, not a page"
        if {"limit", "offset"} <= names:
            assert set(schema["properties"]) == PAGE, path
            assert set(schema["required"]) == PAGE, path
    for path in (
        f"{API}/invoices/overdue",
        f"{API}/me/tokens",
        f"{API}/patents/{{patent_id}}/inclusions",
        f"{API}/pools/{{pool_id}}/review-flags",
    ):
        listed = document["paths"][path]["get"]  # once bare arrays (issue 13)
        assert {"limit", "offset"} <= {p["name"] for p in listed["parameters"]}, path


def test_uploads_and_downloads_name_their_media_types(document: Document) -> None:
    for path in (
        f"{API}/pools/{{pool_id}}/patents/import",
        f"{API}/agreements/{{agreement_id}}/reports/import",
    ):
        body = document["paths"][path]["post"]["requestBody"]
        assert body["required"] is True
        assert body["content"] == {"text/csv": {"schema": {"type": "string"}}}
    download = document["paths"][f"{API}/statements/{{statement_id}}/documents/{{fmt}}"]["get"]
    assert set(download["responses"]["200"]["content"]) == {
        "text/html",
        "text/csv",
        "application/pdf",
    }


def test_a_patent_number_names_the_accepted_offices(document: Document) -> None:
    number = document["components"]["schemas"]["PatentCreate"]["properties"]["number"]
    offices = "AU, CA, CN, DE, EP, FR, GB, IN, JP, KR, TW, US, WO"
    assert offices in number["description"]
