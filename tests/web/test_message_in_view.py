"""After an action the page's message is brought into view: every page loads the portal's own
script (a static file, so the CSP's `script-src 'self'` holds), which looks for the messages
pages render (`.alert` with role alert or status) and focuses them."""

import re

from litestar.testing import TestClient

from tests.web.conftest import World, sign_in


def test_every_page_loads_the_message_script_from_the_site(
    client: TestClient, world: World
) -> None:
    sign_in(client, "admin@example.org")
    page = client.get("/admin")
    assert '<script src="/static/app.js" defer></script>' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)  # no inline script
    script = client.get("/static/app.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    for selector in (".alert[role='alert']", ".alert[role='status']", "htmx:afterSettle"):
        assert selector in script.text
