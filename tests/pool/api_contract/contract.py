"""Reading the running app's OpenAPI document: its operations, and checking an answer against
what the document says of it (`$ref`s resolved against the document's own components)."""

import copy
import re
from collections.abc import Iterator
from typing import Any

from httpx import Response
from jsonschema import Draft202012Validator, FormatChecker
from litestar.testing import TestClient

API = "/api/v1"
METHODS = ("get", "post", "put", "patch", "delete")
PROBLEM = "application/problem+json"
PROBLEM_REF = "#/components/schemas/ProblemDetails"
ROUTE_PARAM = re.compile(r"\{(\w+):\w+\}")

Document = dict[str, Any]


def load(client: TestClient) -> Document:
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    document: Document = response.json()
    return document


def operations(document: Document) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path, operation) for every documented operation."""
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def template(route: str) -> str:
    """A route as the app declares it (`/pools/{pool_id:int}`) as the document names it."""
    return ROUTE_PARAM.sub(r"{\1}", route)


def resolve(document: Document, schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def validator(document: Document, schema: dict[str, Any]) -> Draft202012Validator:
    """Validates against `schema`, where every problem document may carry only the members
    the document names: what the API sends but does not document fails."""
    components = copy.deepcopy(document["components"])
    for name in ("ProblemDetails", "FieldProblem"):
        components["schemas"][name]["additionalProperties"] = False
    root = {**schema, "components": components}
    return Draft202012Validator(root, format_checker=FormatChecker())


def check(document: Document, method: str, path: str, response: Response) -> Any:
    """The answer is documented for the operation: its status, its media type, and a body
    valid against that media type's schema. Returns the body."""
    operation = document["paths"][path][method.lower()]
    documented = operation["responses"].get(str(response.status_code))
    assert documented is not None, (method, path, response.status_code, response.text)
    media_type = response.headers["content-type"].split(";")[0]
    assert media_type in documented["content"], (method, path, media_type)
    body = response.json()
    validator(document, documented["content"][media_type]["schema"]).validate(body)
    return body
