"""The pages of this increment through real HTTP: home, organisation, password, public pool."""

from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from pool.models.audit import AuditEvent
from tests.pool.licensing.helpers import API, accepted_patent, add_terms, ok, publish
from tests.web.conftest import PASSWORD, World, csrf_from, post_form, sign_in

NEW_PASSWORD = "a much better passphrase"


def change_password(
    client: TestClient, current: str, new: str, confirm: str | None = None
) -> Response:
    return post_form(
        client,
        "/account/password",
        {"current_password": current, "new_password": new, "confirm_password": confirm or new},
        page="/account/password",
    )


def test_the_home_page_shows_what_the_role_has(client: TestClient, world: World) -> None:
    expected = {
        "admin@example.org": ("Pool dashboard", "My agreements"),
        "sme@example.org": ("My agreements", "My patents"),
        "uni@example.org": ("My patents", "Usage reports"),
        "auditor@example.org": ("Audit trail", "Patent evaluation"),
    }
    for email, (has, has_not) in expected.items():
        sign_in(client, email)
        home = client.get("/")
        assert home.status_code == 200
        assert has in home.text
        assert has_not not in home.text
        assert f'href="/pools/{world.pool_id}"' in home.text
        post_form(client, "/logout", {}, page="/")


def test_each_user_sees_their_own_organisation_only(
    client: TestClient, browser: TestClient, world: World
) -> None:
    sign_in(client, "sme@example.org")
    sign_in(browser, "big@example.org")
    mine, theirs = client.get("/organisation").text, browser.get("/organisation").text
    assert "<h1>SME L</h1>" in mine
    assert "Big M" not in mine
    assert "<h1>Big M</h1>" in theirs
    assert "SME L" not in theirs
    for page in ("/", "/organisation", f"/pools/{world.pool_id}"):
        text = client.get(page).text
        assert all(other not in text for other in ("Big M", "Uni A", "Lab B")), page


def test_staff_have_no_organisation(client: TestClient, world: World) -> None:
    sign_in(client, "admin@example.org")
    page = client.get("/organisation")
    assert page.status_code == 200
    assert "belong to no member organisation" in page.text


def test_the_password_is_changed_and_other_sessions_end(
    client: TestClient, browser: TestClient, world: World, engine: Engine
) -> None:
    sign_in(client, "uni@example.org")
    sign_in(browser, "uni@example.org")  # another device
    done = change_password(client, PASSWORD, NEW_PASSWORD)
    assert (done.status_code, done.headers["location"]) == (303, "/account/password?done=true")
    assert "Your password was changed." in client.get(done.headers["location"]).text
    assert client.get("/", follow_redirects=False).status_code == 200  # this session goes on
    assert browser.get("/", follow_redirects=False).headers["location"] == "/login"
    old = post_form(browser, "/login", {"email": "uni@example.org", "password": PASSWORD})
    assert old.status_code == 401
    sign_in(browser, "uni@example.org", NEW_PASSWORD)
    api = client.post(
        "/api/v1/auth/login", json={"email": "uni@example.org", "password": NEW_PASSWORD}
    )
    assert api.status_code == 200
    with Session(engine) as db:
        event = db.exec(
            select(AuditEvent).where(AuditEvent.action == "user.password_changed")
        ).one()
    assert (event.actor_user_id, event.entity_id) == (
        world.contributor.user_id,
        str(world.contributor.user_id),
    )
    assert event.after is not None
    assert len(event.after["sessions_ended"]) == 1
    assert "hash" not in str(event.after)


def test_password_errors_are_shown_on_the_form(client: TestClient, world: World) -> None:
    sign_in(client, "uni@example.org")
    wrong = change_password(client, "not my password", "short")
    assert wrong.status_code == 422
    assert wrong.headers["content-type"].startswith("text/html")
    assert "the current password is wrong" in wrong.text
    assert "must be at least 12 characters" in wrong.text
    assert 'id="f-current_password" name="current_password" type="password"' in wrong.text
    assert 'aria-invalid="true" aria-describedby="e-new_password"' in wrong.text
    same = change_password(client, PASSWORD, PASSWORD)
    assert "must differ from the current password" in same.text
    mismatch = change_password(client, PASSWORD, NEW_PASSWORD, "something else entirely")
    assert mismatch.status_code == 422
    assert "does not match the new password" in mismatch.text
    post_form(client, "/language", {"lang": "zh-CN", "next": "/"}, page="/")
    chinese = change_password(client, "not my password", NEW_PASSWORD)
    assert "当前密码不正确" in chinese.text
    sign_in(client, "uni@example.org")  # the old password still works


def test_guessing_the_current_password_is_throttled(client: TestClient, world: World) -> None:
    sign_in(client, "uni@example.org")
    for _ in range(4):
        assert change_password(client, "guess", NEW_PASSWORD).status_code == 422
    throttled = change_password(client, "guess", NEW_PASSWORD)  # the 5th failure is recorded
    assert throttled.status_code == 422
    blocked = change_password(client, PASSWORD, NEW_PASSWORD)
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.text
    assert blocked.headers["retry-after"] == "900"


def test_the_public_pool_page_lists_only_published_patents(
    client: TestClient, world: World
) -> None:
    accepted_patent(client, world, "US10123456B2")
    submitted = {"number": "US9876543B2", "title": "Not yet evaluated", "filing_date": "2018-02-01"}
    ok(
        client.post(
            f"{API}/pools/{world.pool_id}/patents",
            json=submitted,
            headers=world.contributor.headers,
        )
    )
    page = client.get(f"/pools/{world.pool_id}")  # nobody signed in
    assert page.status_code == 200
    assert "US10123456B2" in page.text
    assert "Video coding US10123456B2" in page.text
    assert "Uni A" in page.text  # the owner is public
    assert "US9876543B2" not in page.text
    assert "1 patent in force on Jun 2, 2025." in page.text
    assert "grade" not in page.text.lower()


def test_the_public_pool_page_shows_the_open_offer_in_the_visitors_locale(
    client: TestClient, world: World
) -> None:
    terms = add_terms(client, world)
    ok(publish(client, world, terms["id"]))
    ok(publish(client, world, terms["id"], published_on="2025-07-01"))  # not yet published
    english = client.get(f"/pools/{world.pool_id}").text
    assert english.count("Open licence on terms 2025-1") == 1
    for shown in (
        "36 months",
        "$5,000.00",
        "$0.50 per unit",
        "from unit 200,000 of the year",
        "$0.30 per unit",
        "3.5% of net sales",
        "$20,000.00",
        "100,000",
        "bank transfer in USD within 30 days",
        "Jun 2, 2025",
    ):
        assert shown in english, shown
    chinese = client.get(f"/pools/{world.pool_id}", headers={"accept-language": "zh-CN"}).text
    for shown in ("36 个月", "US$5,000.00", "每件 US$0.50", "净销售额的 3.5%", "2025年6月2日"):
        assert shown in chinese, shown


def test_pages_that_do_not_exist_are_readable_pages(client: TestClient, world: World) -> None:
    draft = ok(
        client.post(
            f"{API}/pools",
            json={"name": "Draft", "currency": "CNY", "technology_field": "other"},
            headers=world.admin.headers,
        )
    )
    for url in (f"/pools/{draft['id']}", "/pools/4242", "/nowhere"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-type"].startswith("text/html")
        assert "Page not found" in response.text
    bad = client.get(f"/pools/{world.pool_id}?page=0")
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("text/html")
    assert "Some values are not valid." in bad.text
    assert "{" not in bad.text.split("<main")[1]  # no JSON, no stack trace
    token = csrf_from(client.get("/login"))
    wrong_method = client.post("/organisation", data={"_csrf_token": token})
    assert wrong_method.status_code == 405
    assert "cannot be used that way" in wrong_method.text


def test_the_api_still_answers_problem_details(client: TestClient, world: World) -> None:
    response = client.get(f"{API}/pools/4242", headers=world.admin.headers)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
