"""An error page keeps the signed-in user's menu (a 404 is not a dead end); visitors, and a
session cookie that no longer signs anyone in, get the page without one."""

import asyncio
import threading

from litestar.testing import TestClient

from pool.admission import AdmissionGate
from pool.dependencies import SESSION_COOKIE
from tests.web.conftest import World, post_form, sign_in

MENU = 'aria-label="Main menu"'


def test_a_signed_in_licensee_keeps_its_menu_on_a_404(client: TestClient, world: World) -> None:
    sign_in(client, "sme@example.org")
    missing = client.get("/no/such/page")
    assert missing.status_code == 404
    assert "Page not found" in missing.text
    assert MENU in missing.text
    assert 'href="/licensee/agreements"' in missing.text
    assert 'href="/admin"' not in missing.text  # the licensee's own menu, nothing more
    not_theirs = client.get("/admin/agreements")
    assert not_theirs.status_code == 404
    assert 'href="/licensee/reports"' in not_theirs.text


def test_an_auditor_refused_a_form_keeps_its_menu(client: TestClient, world: World) -> None:
    sign_in(client, "auditor@example.org")
    refused = post_form(client, "/admin/runs", {"pool_id": str(world.pool_id)}, page="/admin")
    assert refused.status_code == 403
    assert MENU in refused.text
    assert 'href="/admin/audit"' in refused.text


def test_visitors_and_dead_sessions_get_no_menu(client: TestClient, world: World) -> None:
    anonymous = client.get("/no/such/page")
    assert anonymous.status_code == 404
    assert "Page not found" in anonymous.text
    assert MENU not in anonymous.text
    client.cookies.set(SESSION_COOKIE, "not-a-session")
    stale = client.get("/no/such/page")
    assert stale.status_code == 404
    assert MENU not in stale.text


def test_an_overloaded_service_says_so_in_the_page_s_language(
    client: TestClient, world: World
) -> None:
    """No database slot free and no room in line: 503 with Retry-After, and the page's own
    words (in Chinese here), not the API's English detail."""
    full = AdmissionGate(1, max_wait=0.1, max_queue=0, saturated_after=1.0)
    holder = threading.Thread(target=lambda: asyncio.run(full.enter()))
    holder.start()  # someone else takes the only slot (its own loop, as another request)
    holder.join(5)
    assert full.status().in_use == 1
    client.app.state.gate = full
    client.cookies.set(SESSION_COOKIE, "any-session")
    client.cookies.set("lang", "zh-CN")
    busy = client.get("/organisation")
    assert busy.status_code == 503
    assert busy.headers["retry-after"] == "1"
    assert "数据库繁忙或无法连接。本次未保存任何更改，请稍后重试。" in busy.text
    assert "no capacity" not in busy.text
