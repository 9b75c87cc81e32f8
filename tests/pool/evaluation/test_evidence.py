"""Evidence uploads through the real API: the type is read from the bytes (not the name or
the declared type), a wrong type, an oversized file and a duplicate are each refused with a
problem naming it and nothing is stored; downloads return the stored bytes with their type,
as an attachment, never to be sniffed."""

import hashlib
import io
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.services.patents.sniffing import DOCX, XLSX, sniff
from pool.settings import Settings
from tests.pool.conftest import World
from tests.pool.evaluation.kit import (
    API,
    CHART,
    actions,
    ok,
    patent_under_evaluation,
    problem,
    upload,
)

LIMIT = 64 * 1024
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def settings(tmp_path: Path, engine: Engine) -> Settings:
    """A small upload limit, so an oversized file is cheap to send."""
    base = Settings(
        data_dir=tmp_path,
        database_url=engine.url.render_as_string(hide_password=False),
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        login_max_failures=5,
    )
    return replace(base, max_upload_bytes=LIMIT)


def listed(client: TestClient, world: World, patent: int) -> Any:
    page = ok(client.get(f"{API}/patents/{patent}/evidence", headers=world.admin.headers))
    return page["items"]


def office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


def test_the_type_is_read_from_the_content(client: TestClient, world: World) -> None:
    patent = patent_under_evaluation(client, world)
    # a PNG named and declared as a PDF is stored as what it is
    scan = ok(
        upload(
            client,
            world.contributor.headers,
            patent,
            PNG,
            kind="translation",
            name="scan.pdf",
            declared="application/pdf",
            version=None,
        )
    )
    assert (scan["content_type"], scan["filename"]) == ("image/png", "scan.png")
    assert scan["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert scan["size_bytes"] == len(PNG)
    chart = ok(upload(client, world.contributor.headers, patent, CHART))
    assert (chart["kind"], chart["version_label"], chart["standard_sections"]) == (
        "claim_chart",
        "v1",
        ["5.1", "5.2"],
    )
    download = client.get(f"{API}/evidence/{chart['id']}/content", headers=world.evaluator.headers)
    assert download.status_code == 404  # not assigned
    download = client.get(f"{API}/evidence/{chart['id']}/content", headers=world.auditor.headers)
    assert download.status_code == 200
    assert download.content == CHART
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == 'attachment; filename="chart.pdf"'
    assert download.headers["x-content-type-options"] == "nosniff"


def test_a_wrong_type_is_refused_and_nothing_stored(
    client: TestClient, world: World, engine: Engine
) -> None:
    patent = patent_under_evaluation(client, world)
    before = actions(engine)
    for content in (b"\x7fELF\x02\x01\x01" + b"\x00" * 40, b"MZ\x90\x00\x03", office("a.xml")):
        refused = upload(client, world.contributor.headers, patent, content)
        body = problem(refused, 422)
        assert body["errors"][0]["field"] == "file"
        assert "PDF, PNG, JPEG, plain UTF-8 text, DOCX or XLSX" in body["errors"][0]["message"]
    assert listed(client, world, patent) == []
    assert actions(engine) == before


def test_an_oversized_file_is_refused_and_nothing_stored(
    client: TestClient, world: World, engine: Engine
) -> None:
    patent = patent_under_evaluation(client, world)
    before = actions(engine)
    big = CHART + b"0" * LIMIT
    problem(upload(client, world.contributor.headers, patent, big), 413)
    assert listed(client, world, patent) == []
    assert actions(engine) == before


def test_a_duplicate_is_refused_and_nothing_stored(
    client: TestClient, world: World, engine: Engine
) -> None:
    patent = patent_under_evaluation(client, world)
    first = ok(upload(client, world.contributor.headers, patent, CHART))
    before = actions(engine)
    again = upload(client, world.admin.headers, patent, CHART, name="renamed.pdf", version="v2")
    assert first["sha256"] in problem(again, 409)["detail"]
    assert [d["id"] for d in listed(client, world, patent)] == [first["id"]]
    assert actions(engine) == before
    # the same bytes for another patent are another document
    other = patent_under_evaluation(client, world, number="JP6123457B2")
    ok(upload(client, world.contributor.headers, other, CHART))


def test_the_form_names_its_faults(client: TestClient, world: World) -> None:
    patent = patent_under_evaluation(client, world)
    no_version = upload(client, world.contributor.headers, patent, CHART, version=None)
    assert problem(no_version, 422)["errors"][0]["field"] == "version_label"
    bad_kind = upload(client, world.contributor.headers, patent, CHART, kind="photo")
    assert problem(bad_kind, 422)["errors"][0]["field"] == "kind"
    assert listed(client, world, patent) == []


def test_evidence_closes_with_the_decision(client: TestClient, world: World) -> None:
    patent = patent_under_evaluation(client, world)
    ok(
        client.post(
            f"{API}/patents/{patent}/accept",
            headers=world.admin.headers,
            json={"admitted_on": "2025-05-01"},
        )
    )
    late = upload(client, world.contributor.headers, patent, CHART)
    assert "accepted" in problem(late, 409)["detail"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.4\n", "application/pdf"),
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        ("权利要求 1\n".encode(), "text/plain; charset=utf-8"),
        (
            office("word/document.xml"),
            DOCX,
        ),
        (
            office("xl/workbook.xml"),
            XLSX,
        ),
        (b"PK\x03\x04 not a zip", None),
        (b"text with a \x00 byte", None),
        ("caf\xe9".encode("latin-1"), None),
    ],
)
def test_sniffing(content: bytes, expected: str | None) -> None:
    assert sniff(content) == expected
