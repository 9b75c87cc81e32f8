"""The packaged static files: served from /static, htmx exactly as recorded."""

import hashlib
import re
from pathlib import Path

from litestar.testing import TestClient

STATIC = Path(__file__).resolve().parents[2] / "pool" / "static"
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"


def test_htmx_is_the_recorded_release(client: TestClient) -> None:
    response = client.get("/static/htmx.min.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert hashlib.sha256(response.content).hexdigest() == HTMX_SHA256
    readme = (STATIC / "README.md").read_text()
    assert HTMX_SHA256 in readme
    assert "htmx.org@2.0.11" in readme


def test_the_style_sheet_is_served_and_loads_nothing_from_outside(client: TestClient) -> None:
    response = client.get("/static/app.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert not re.search(r"@import|url\(|https?://", response.text)


def test_no_file_outside_the_static_folder_is_served(client: TestClient) -> None:
    for url in ("/static/../settings.py", "/static/%2e%2e/settings.py", "/static/nothing.js"):
        assert client.get(url).status_code == 404, url
