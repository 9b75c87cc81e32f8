"""Assigning evaluators on the administrator's evaluation page over real HTTP (issue 19): the
type-ahead /pick/evaluators (staff only) suggests evaluators by name, e-mail or agency with the
agency shown, never the owner's own staff nor one already assigned; the form reads what was
typed back to one evaluator (several: choose among them; the owner's staff: refused with the
reason), with a due date that must not be before today. The evaluator's queue shows due dates,
the soonest first, marks and filters the overdue ones; the admin patent page offers no direct
accept once evaluators decide."""

import re
from datetime import UTC, datetime

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.db import session_scope
from pool.models.user import Role, User
from tests.conftest import FakeClock
from tests.pool.evaluation.kit import (
    API,
    CHART,
    assign,
    evaluators,
    finding,
    ok,
    patent_under_evaluation,
    set_pool,
    upload,
)
from tests.web.conftest import World, post_form, sign_in

OPTION = re.compile(r'<option value="([^"]*)">([^<]*)</option>')
USERS = {
    "admin": "admin@example.org",
    "auditor": "auditor@example.org",
    "contributor": "uni@example.org",
    "other_contributor": "lab@example.org",
    "licensee": "sme@example.org",
    "other_licensee": "big@example.org",
    "evaluator": "eve@example.org",
}


def staff_evaluator(engine: Engine, world: World) -> int:
    """An evaluator-role user inside the owner's own organisation (Uni A): never suggested."""
    with session_scope(engine) as s:
        user = User(
            email="eve.uni@example.org", display_name="Eve of Uni", password_hash="x",
            role=Role.EVALUATOR.value, organisation_id=world.contributor.organisation_id,
            created_at=datetime(2025, 1, 1, tzinfo=UTC),
        )  # fmt: skip
        s.add(user)
        s.flush()
        return user.id or 0


def suggestions(client: TestClient, url: str) -> list[tuple[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.text[:300])
    assert response.headers["cache-control"] == "no-store"
    return OPTION.findall(response.text)


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_staff_find_evaluators_by_name_email_or_agency(
    client: TestClient, engine: Engine, world: World, role: str
) -> None:
    patent = patent_under_evaluation(client, world)
    more = evaluators(client, world, 3)  # Evaluator 0..2 of Agency F
    staff_evaluator(engine, world)
    sign_in(client, USERS[role])
    url = f"/pick/evaluators?patent={patent}"
    eve = world.evaluator.user_id
    assert suggestions(client, f"{url}&q=EVE") == [(f"eve (#{eve})", "eve@example.org · Agency E")]
    assert suggestions(client, f"{url}&evaluator=agency-f.example") == [
        (f"Evaluator {n} (#{more[n]['id']})", f"evaluator{n}@agency-f.example.org · Agency F")
        for n in range(3)
    ]
    assert len(suggestions(client, f"{url}&q=agency")) == 4  # by agency name
    every = suggestions(client, url)
    assert len(every) == 4
    assert "Eve of Uni" not in str(every)  # the owner's own staff
    assert suggestions(client, f"{url}&q=uni") == []
    assert suggestions(client, f"{url}&q=admin") == []  # only evaluators
    ok(assign(client, world, patent, eve, "2025-06-01"))
    assert suggestions(client, f"{url}&q=eve") == []  # already assigned
    assert client.get("/pick/evaluators?patent=99999&q=eve").status_code == 404


@pytest.mark.parametrize(
    "role", ["contributor", "other_contributor", "licensee", "other_licensee", "evaluator"]
)
def test_other_roles_find_no_evaluator(client: TestClient, world: World, role: str) -> None:
    patent = patent_under_evaluation(client, world)
    sign_in(client, USERS[role])
    response = client.get(f"/pick/evaluators?patent={patent}&q=e")
    assert response.status_code == 404
    assert "Agency E" not in response.text


def test_visitors_are_sent_to_the_login_page(client: TestClient, world: World) -> None:
    patent = patent_under_evaluation(client, world)
    response = client.get(f"/pick/evaluators?patent={patent}&q=e", follow_redirects=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/login")


def assign_form(client: TestClient, patent: int, **fields: str):  # type: ignore[no-untyped-def]
    record = f"/admin/patents/{patent}/evaluation"
    form = {"assigned_on": "2025-06-02", "due_on": "2025-07-02", **fields}
    return post_form(client, f"{record}/assign", form, page=record)


def assigned(client: TestClient, world: World, patent: int) -> list[tuple[int, str | None]]:
    read = ok(client.get(f"{API}/patents/{patent}/evaluation", headers=world.admin.headers))
    return [(a["evaluator_user_id"], a["due_on"]) for a in read["assignments"]]


def test_the_administrator_assigns_by_typing(
    client: TestClient, engine: Engine, world: World
) -> None:
    patent = patent_under_evaluation(client, world)
    more = evaluators(client, world, 2)
    staff_evaluator(engine, world)
    sign_in(client, "admin@example.org")
    page = client.get(f"/admin/patents/{patent}/evaluation").text
    assert f'hx-get="/pick/evaluators?patent={patent}"' in page
    assert "Evaluator 1" not in page  # no list of every evaluator on the page
    assert 'name="due_on" type="date" value="2025-07-02"' in page  # 30 days from today

    for typed, message in (
        ("nobody at all", "no evaluator has this name, e-mail or agency"),
        ("uni@example.org", "the owner&#39;s own staff"),  # a contributor of the owner
        ("Eve of Uni", "the owner&#39;s own staff"),  # an evaluator among the owner's staff
        ("agency f", "several evaluators fit: choose one"),
        ("", "this field is required"),
    ):
        refused = assign_form(client, patent, evaluator=typed)
        assert refused.status_code == 422, typed
        assert message in refused.text, typed
        assert 'id="e-evaluator"' in refused.text, typed
    several = assign_form(client, patent, evaluator="agency f")
    assert 'id="f-evaluator_user_id"' in several.text
    assert several.text.count("@agency-f.example.org · Agency F</option>") == 2
    assert 'value="agency f"' in several.text  # what was typed stays
    past = assign_form(client, patent, evaluator="eve@example.org", due_on="2025-06-01")
    assert past.status_code == 422
    assert 'id="e-due_on"' in past.text
    assert "must not be before today" in past.text
    assert assigned(client, world, patent) == []

    eve = world.evaluator.user_id
    done = assign_form(client, patent, evaluator=f"eve (#{eve})")
    assert done.status_code == 303, done.text
    chosen = assign_form(
        client, patent, evaluator="agency f", evaluator_user_id=str(more[1]["id"]), due_on=""
    )
    assert chosen.status_code == 303, chosen.text
    assert assigned(client, world, patent) == [(eve, "2025-07-02"), (more[1]["id"], None)]
    shown = client.get(f"/admin/patents/{patent}/evaluation").text
    assert "finding due" in shown
    assert 'id="f-evaluator"' not in shown  # two evaluators: no third before a disagreement
    again = assign_form(client, patent, evaluator="eve@example.org")
    assert again.status_code == 422
    assert "this evaluator is already assigned to this patent" in again.text  # not lost


def test_the_queue_shows_due_dates_soonest_first_and_the_overdue(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    """Today becomes 2025-06-12: JP6000002B2 and JP6000005B2 are past due; JP6000004B2 was
    too, but its finding is recorded, so it is no longer due and comes last."""
    dues = {"JP6000001B2": "2025-08-01", "JP6000002B2": "2025-06-03", "JP6000003B2": None,
            "JP6000004B2": "2025-06-10", "JP6000005B2": "2025-06-11"}  # fmt: skip
    eve = world.evaluator.user_id
    made = {}
    for number, due in dues.items():
        made[number] = patent = patent_under_evaluation(client, world, number=number)
        body = {"evaluator_user_id": eve, "assigned_on": "2025-06-02", "due_on": due}
        url = f"{API}/patents/{patent}/evaluation/assignments"
        ok(client.post(url, json=body, headers=world.admin.headers))
    chart = ok(upload(client, world.contributor.headers, made["JP6000004B2"], CHART))["id"]
    clock.advance(days=10)
    done = finding(client, world.evaluator.headers, made["JP6000004B2"], chart, grade=None,
                   on="2025-06-12")  # fmt: skip
    ok(done)

    sign_in(client, "eve@example.org")
    queue = client.get("/evaluation").text
    numbers = re.findall(r">(JP600000\dB2)</a>", queue)
    assert numbers == ["JP6000002B2", "JP6000005B2", "JP6000001B2", "JP6000003B2", "JP6000004B2"]
    assert queue.count('<tr class="late">') == 2
    assert queue.count("Overdue since") == 2
    assert 'data-label="Finding due on"' in queue
    only = client.get("/evaluation?overdue=1").text
    assert re.findall(r">(JP600000\dB2)</a>", only) == ["JP6000002B2", "JP6000005B2"]
    assert 'value="1" selected' in only
    assert "No patent matches." in client.get("/evaluation?overdue=1&state=decided").text
    post_form(client, "/language", {"lang": "zh-CN", "next": "/"}, page="/")
    zh = client.get("/evaluation").text
    assert "评估结论截止日期" in zh
    assert "Overdue since" not in zh


def test_the_patent_page_offers_no_direct_accept_once_evaluators_decide(
    client: TestClient, world: World
) -> None:
    plain = patent_under_evaluation(client, world, number="JP6000011B2")
    with_evaluator = patent_under_evaluation(client, world, number="JP6000012B2")
    ok(assign(client, world, with_evaluator, world.evaluator.user_id, "2025-06-02"))
    sign_in(client, "admin@example.org")
    page = client.get(f"/admin/patents/{plain}").text
    assert f'action="/admin/patents/{plain}/accept"' in page
    assert 'id="independent"' not in page
    page = client.get(f"/admin/patents/{with_evaluator}").text
    assert f'action="/admin/patents/{with_evaluator}/accept"' not in page
    assert 'id="independent"' in page
    assert "Evaluators are assigned to this patent" in page
    assert f'href="/admin/patents/{with_evaluator}/evaluation"' in page
    assert "Waiting for findings" in page
    set_pool(client, world, requires_independent_evaluation=True)
    page = client.get(f"/admin/patents/{plain}").text
    assert f'action="/admin/patents/{plain}/accept"' not in page
    assert "This pool requires independent evaluation" in page
    assert f'action="/admin/patents/{plain}/reject"' in page  # rejecting stays possible
    post_form(client, "/language", {"lang": "zh-CN", "next": "/"}, page="/")
    zh = client.get(f"/admin/patents/{plain}").text
    assert "本专利池要求独立评估" in zh
    assert "The evaluators decide" not in zh
    zh = client.get(f"/admin/patents/{plain}/evaluation").text
    assert "Type part of the evaluator" not in zh
    assert "评估结论截止日期" in zh
