"""Long page actions as background tasks, over real HTTP with the app's own worker pool (the
TestClient runs the lifespan): a period closed by hand reaches its run; a large CSV upload
with a bad line shows the error table and saves nothing, a clean one creates the report (and
the same for a contributor's large patent import);
tasks a restart interrupted are failed on startup; nobody else sees a user's task.

Tests wait for a task by polling its progress fragment in a bounded loop (no timing claims)."""

import logging
import re
import threading
from datetime import UTC, date, datetime
from typing import Any

import pytest
from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.app import create_app
from pool.auth import Principal
from pool.db import session_scope
from pool.models.distribution import DistributionRun
from pool.models.patent import Patent
from pool.models.reporting import UsageReport
from pool.models.task import BackgroundTask, TaskStatus
from pool.models.user import Role
from pool.services import tasks
from pool.services.tasks.progress import Progress
from pool.settings import Settings
from pool.web.admin import runs as admin_runs
from pool.web.contributor.background_import import BACKGROUND_PATENTS
from pool.web.licensee.submissions import BACKGROUND_LINES
from tests.conftest import FakeClock
from tests.pool.conftest import _user
from tests.pool.reporting.kit import Deal
from tests.web.conftest import World, post_form, sign_in
from tests.web.tasks_kit import DEADLINE_SECONDS, task_id_of, wait_for
from tests.web.test_admin_pages import money_to_distribute
from tests.web.test_contributor_pages import upload as patent_upload
from tests.web.test_licensee_pages import HEADER, count, mine, theirs, upload

__all__ = ["mine", "theirs"]  # fixtures
AT = datetime(2025, 6, 2, tzinfo=UTC)


def close_period(client: TestClient, world: World, period_start: str) -> Response:
    return post_form(
        client,
        "/admin/runs",
        {"pool_id": str(world.pool_id), "period_start": period_start},
        page="/admin/runs",
    )


def test_a_period_closed_by_hand_runs_as_a_task_and_leads_to_its_run(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    money_to_distribute(client, engine, world, clock)
    sign_in(client, "admin@example.org")
    task_id = task_id_of(close_period(client, world, "2025-04-01"))
    page = client.get(f"/tasks/{task_id}").text
    assert "Closing a period" in page
    assert "<progress" in page or 'data-status="succeeded"' in page
    assert '<noscript><meta http-equiv="refresh"' in page or 'data-status="succeeded"' in page
    done = wait_for(client, task_id)
    with Session(engine) as s:
        run = s.exec(select(DistributionRun)).one()
    assert done.headers["hx-redirect"] == f"/admin/runs/{run.id}"
    assert f'href="/admin/runs/{run.id}"' in done.text
    assert "Uni A" in client.get(f"/admin/runs/{run.id}").text
    assert f'href="/admin/runs/{run.id}"' in client.get(f"/tasks/{task_id}").text
    with Session(engine) as s:
        task = s.get(BackgroundTask, task_id)
        assert task is not None
        assert (task.status, task.kind, task.result and task.result["run_id"]) == (
            "succeeded", "period_close", run.id,
        )  # fmt: skip
        assert task.started_at is not None
        assert task.finished_at is not None


def test_a_period_that_has_not_ended_is_refused_on_the_form_without_a_task(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    money_to_distribute(client, engine, world, clock)
    sign_in(client, "admin@example.org")
    refused = close_period(client, world, "2025-07-01")
    assert refused.status_code == 422
    assert "has not ended yet" in refused.text
    assert 'value="2025-07-01"' in refused.text
    with Session(engine) as s:
        assert s.exec(select(BackgroundTask)).first() is None


def test_a_close_its_task_refuses_shows_the_services_message_and_the_form_again(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    """What the form checked can change before the task runs (another administrator closes
    a later period meanwhile): the task's own refusal is shown the same way. Started here
    directly, with the page's action, for a period the form would have refused."""
    money_to_distribute(client, engine, world, clock)
    sign_in(client, "admin@example.org")
    runner: tasks.TaskRunner = client.app.state.tasks
    admin = Principal(world.admin.user_id, "admin@example.org", Role.ADMIN, None, 0)
    task_id = runner.start(
        kind="period_close",
        principal=admin,
        action=admin_runs.close_action(admin, world.pool_id, date(2025, 7, 1), clock()),
        pool_id=world.pool_id,
        inputs={"back": f"/admin/runs?pool={world.pool_id}", "period_start": "2025-07-01"},
    )
    failed = wait_for(client, task_id)
    assert 'data-status="failed"' in failed.text
    assert "hx-redirect" not in failed.headers
    assert "has not ended yet" in failed.text
    assert "Traceback" not in failed.text
    back = f"/admin/runs?pool={world.pool_id}&amp;task={task_id}"
    assert f'href="{back}"' in failed.text
    form = client.get(back.replace("&amp;", "&")).text
    assert "has not ended yet" in form
    assert 'value="2025-07-01"' in form
    with Session(engine) as s:
        assert s.exec(select(DistributionRun)).first() is None
    chinese = client.get(f"/tasks/{task_id}", headers={"Accept-Language": "zh-CN"}).text
    assert "失败" in chinese


def test_a_bad_date_is_refused_on_the_form_without_a_task(
    client: TestClient, engine: Engine, world: World
) -> None:
    sign_in(client, "admin@example.org")
    refused = close_period(client, world, "not a day")
    assert refused.status_code == 422
    assert "enter a date" in refused.text
    with Session(engine) as s:
        assert s.exec(select(BackgroundTask)).first() is None


def second_admin(session: Session, settings: Settings, now: datetime) -> None:
    _user(session, settings, "admin2@example.org", Role.ADMIN, None, now)


def test_only_the_user_who_started_a_task_sees_it(
    client: TestClient,
    browser: TestClient,
    settings: Settings,
    engine: Engine,
    world: World,
    clock: FakeClock,
) -> None:
    money_to_distribute(client, engine, world, clock)
    sign_in(client, "admin@example.org")
    task_id = task_id_of(close_period(client, world, "2025-04-01"))
    wait_for(client, task_id)
    with session_scope(engine) as s:
        second_admin(s, settings, clock())
    emails = ("admin2@example.org", "auditor@example.org", "sme@example.org", "uni@example.org")
    for email in emails:
        browser.cookies.clear()
        sign_in(browser, email)
        for url in (f"/tasks/{task_id}", f"/tasks/{task_id}/progress"):
            response = browser.get(url)
            assert response.status_code == 404, (email, url)
            assert "Page not found" in response.text
        assert browser.get(f"/admin/runs?task={task_id}").status_code == 404, email
    browser.cookies.clear()
    signed_out = browser.get(f"/tasks/{task_id}", follow_redirects=False)
    assert signed_out.status_code == 303
    assert signed_out.headers["location"].startswith("/login?next=")


def test_tasks_a_restart_interrupted_are_failed_on_startup(
    settings: Settings, engine: Engine, world: World, clock: FakeClock
) -> None:
    with session_scope(engine) as s:
        for status in (TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.SUCCEEDED):
            s.add(
                BackgroundTask(
                    kind="period_close", started_by_user_id=world.admin.user_id,
                    status=status, created_at=clock(),
                )
            )  # fmt: skip
    restarted = datetime(2025, 6, 3, tzinfo=UTC)
    clock.now = restarted
    with TestClient(create_app(settings=settings, engine=engine, clock=clock)) as client:
        with Session(engine) as s:
            found = s.exec(select(BackgroundTask).order_by(col(BackgroundTask.id))).all()
            assert [(t.status, t.error) for t in found] == [
                ("failed", tasks.INTERRUPTED), ("failed", tasks.INTERRUPTED), ("succeeded", None),
            ]  # fmt: skip
            assert found[0].finished_at == restarted
        sign_in(client, "admin@example.org")
        page = client.get(f"/tasks/{found[1].id}").text
        assert "interrupted by a restart; nothing was saved" in page
        assert "<noscript>" not in page  # finished: no more reloading


# ---------------------------------------------------------------- a large usage report


def large_csv(product: int, lines: int, bad_line: int | None = None) -> str:
    """`lines` data lines (more than BACKGROUND_LINES); at `bad_line` (a spreadsheet's line
    number: the header is 1) a sold-in country that does not exist."""
    rows = [HEADER.rstrip("\n")]
    for number in range(2, lines + 2):
        sold_in = "XX" if number == bad_line else ("US" if number % 2 else "CN")
        rows.append(f"{product},CN,{sold_in},{number % 7 + 1},{number * 10}")
    return "\n".join(rows) + "\n"


def test_a_large_upload_with_a_bad_line_shows_the_error_table_and_saves_nothing(
    client: TestClient, engine: Engine, world: World, mine: Deal
) -> None:
    sign_in(client, "sme@example.org")
    lines = BACKGROUND_LINES + 500
    content = large_csv(mine.products["mobile"], lines, bad_line=2_345)
    task_id = task_id_of(upload(client, mine, content))
    assert "Importing a usage report" in client.get(f"/tasks/{task_id}").text
    failed = wait_for(client, task_id)
    assert 'data-status="failed"' in failed.text
    assert 'id="csv-errors"' in failed.text
    bad = re.search(r'<tbody class="bad-line" id="line-2345">(.*?)</tbody>', failed.text, re.S)
    assert bad, failed.text
    assert '<td class="cell-bad">XX</td>' in bad.group(1)
    assert "<strong>country_of_sale</strong>" in bad.group(1)
    assert "1 problem found in the file." in failed.text
    assert f'href="/licensee/agreements/{mine.agreement_id}/reports/new?task={task_id}"' in (
        failed.text
    )
    assert count(client, world, "reports") == 0
    assert count(client, world, "invoices") == 0


def test_a_clean_large_upload_creates_the_report_through_a_task(
    client: TestClient, engine: Engine, world: World, mine: Deal
) -> None:
    sign_in(client, "sme@example.org")
    lines = BACKGROUND_LINES + 1
    task_id = task_id_of(upload(client, mine, large_csv(mine.products["mobile"], lines)))
    done = wait_for(client, task_id)
    redirect = done.headers["hx-redirect"]
    found = re.fullmatch(r"/licensee/reports/(\d+)\?done=submitted", redirect)
    assert found, redirect
    report = client.get(redirect).text
    assert "Usage report" in report
    with Session(engine) as s:
        stored = s.get(UsageReport, int(found.group(1)))
        assert stored is not None
        assert stored.line_count == lines
    assert count(client, world, "invoices") == 1


def test_a_small_upload_stays_in_the_request(
    client: TestClient, engine: Engine, world: World, mine: Deal
) -> None:
    sign_in(client, "sme@example.org")
    content = large_csv(mine.products["mobile"], BACKGROUND_LINES)
    response = upload(client, mine, content)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/licensee/reports/")
    with Session(engine) as s:
        assert s.exec(select(BackgroundTask)).first() is None


def test_another_licensees_agreement_starts_no_task(
    client: TestClient, engine: Engine, world: World, theirs: Deal
) -> None:
    sign_in(client, "sme@example.org")
    response = upload(client, theirs, large_csv(1, BACKGROUND_LINES + 1))
    assert response.status_code == 404
    with Session(engine) as s:
        assert s.exec(select(BackgroundTask)).first() is None


# ---------------------------------------------------------------- a large patent import


def patents_csv(count: int, bad_line: int | None = None) -> bytes:
    rows = ["number,title,filing_date"]
    for number in range(2, count + 2):
        filed = "not a date" if number == bad_line else "2019-01-15"
        rows.append(f"US{10_000_000 + number}B2,Codec {number},{filed}")
    return ("\n".join(rows) + "\n").encode()


def test_a_large_patent_import_runs_as_a_task(
    client: TestClient, engine: Engine, world: World
) -> None:
    sign_in(client, "uni@example.org")
    count_ = BACKGROUND_PATENTS + 1
    refused = wait_for(client, task_id_of(patent_upload(client, world, patents_csv(count_, 77))))
    assert 'data-status="failed"' in refused.text
    assert re.search(r'<tr><td class="num">77</td><td>filing_date</td><td>[^<]+</td></tr>', (
        refused.text
    ))  # fmt: skip
    assert f'href="/contributor/patents/import?pool={world.pool_id}&amp;task=' in refused.text
    with Session(engine) as s:
        assert s.exec(select(Patent)).first() is None
    done = wait_for(client, task_id_of(patent_upload(client, world, patents_csv(count_))))
    assert done.headers["hx-redirect"] == (
        f"/contributor/patents?pool={world.pool_id}&imported={count_}"
    )
    with Session(engine) as s:
        assert len(s.exec(select(Patent.id)).all()) == count_


# ---------------------------------------------------------------- the runner itself


def test_an_unexpected_error_is_logged_with_a_reference_and_nothing_is_kept(
    client: TestClient, engine: Engine, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    sign_in(client, "admin@example.org")
    runner: tasks.TaskRunner = client.app.state.tasks
    admin = Principal(world.admin.user_id, "admin@example.org", Role.ADMIN, None, 0)

    def breaks_after_writing(session: Session, progress: Progress) -> dict[str, Any]:
        session.add(BackgroundTask(kind="witness", started_by_user_id=admin.user_id, created_at=AT))
        session.flush()
        progress("allocating", 1, 2)
        raise ZeroDivisionError("a bug")

    with caplog.at_level(logging.ERROR, logger="patentpool.tasks"):
        task_id = runner.start(kind="period_close", principal=admin, action=breaks_after_writing)
        failed = wait_for(client, task_id)
    reference = re.search(r"Reference for the administrators: (\w+)", failed.text)
    assert reference, failed.text
    assert "an unexpected error stopped the task; nothing was saved" in failed.text
    assert "ZeroDivisionError" not in failed.text
    logged = [r for r in caplog.records if reference.group(1) in r.getMessage()]
    assert logged
    assert logged[0].exc_info is not None
    assert logged[0].exc_info[0] is ZeroDivisionError
    with Session(engine) as s:
        assert s.exec(select(BackgroundTask).where(BackgroundTask.kind == "witness")).all() == []


def test_a_running_task_shows_its_live_progress_and_polls(
    client: TestClient, engine: Engine, world: World
) -> None:
    """The worker holds the action open (an event) while the test reads the page."""
    sign_in(client, "admin@example.org")
    runner: tasks.TaskRunner = client.app.state.tasks
    admin = Principal(world.admin.user_id, "admin@example.org", Role.ADMIN, None, 0)
    reported, release = threading.Event(), threading.Event()

    def halfway(session: Session, progress: Progress) -> dict[str, Any]:
        progress("allocating", 2, 4)
        reported.set()
        release.wait(DEADLINE_SECONDS)
        return {"href": "/admin/runs"}

    task_id = runner.start(kind="period_close", principal=admin, action=halfway)
    try:
        assert reported.wait(DEADLINE_SECONDS)
        page = client.get(f"/tasks/{task_id}").text
        assert 'data-status="running"' in page
        assert "Allocating usage period 2 of 4" in page
        assert '<progress aria-labelledby="task-step" max="4" value="2">' in page
        assert f'hx-get="/tasks/{task_id}/progress" hx-trigger="every 1s"' in page
        assert '<noscript><meta http-equiv="refresh" content="1"></noscript>' in page
        chinese = client.get(f"/tasks/{task_id}", headers={"Accept-Language": "zh-CN"}).text
        assert "正在分配第 2 个使用期间（共 4 个）" in chinese
        fragment = client.get(f"/tasks/{task_id}/progress", headers={"HX-Request": "true"})
        assert "hx-redirect" not in fragment.headers
        assert "<html" not in fragment.text  # the section alone, which replaces itself
    finally:
        release.set()
    done = wait_for(client, task_id)
    assert done.headers["hx-redirect"] == "/admin/runs"
    with Session(engine) as s:
        task = s.get(BackgroundTask, task_id)
        assert task is not None
        assert (task.status, task.step, task.done, task.total) == ("succeeded", "allocating", 2, 4)


def test_a_write_committed_during_a_tasks_reads_makes_it_run_again_on_sqlite(
    client: TestClient, engine: Engine, world: World
) -> None:
    """On SQLite the action's first write fails on its stale snapshot; the runner rolls it
    back and runs it again. On PostgreSQL it simply goes through the first time."""
    sign_in(client, "admin@example.org")
    runner: tasks.TaskRunner = client.app.state.tasks
    admin = Principal(world.admin.user_id, "admin@example.org", Role.ADMIN, None, 0)
    have_read, written = threading.Event(), threading.Event()
    attempts: list[int] = []

    def reads_then_writes(session: Session, progress: Progress) -> dict[str, Any]:
        attempts.append(len(session.exec(select(BackgroundTask)).all()))
        have_read.set()
        written.wait(DEADLINE_SECONDS)
        session.add(BackgroundTask(kind="witness", started_by_user_id=admin.user_id, created_at=AT))
        session.flush()
        return {"href": "/admin/runs"}

    task_id = runner.start(kind="period_close", principal=admin, action=reads_then_writes)
    try:
        assert have_read.wait(DEADLINE_SECONDS)
        with session_scope(engine) as s:  # someone else's write, meanwhile
            s.add(BackgroundTask(kind="other", started_by_user_id=admin.user_id, created_at=AT))
    finally:
        written.set()
    assert 'data-status="succeeded"' in wait_for(client, task_id).text
    with Session(engine) as s:
        witnesses = s.exec(select(BackgroundTask).where(BackgroundTask.kind == "witness")).all()
    assert len(witnesses) == 1
    assert attempts == ([1, 2] if engine.dialect.name == "sqlite" else [1])
