"""A licensee's money in one truth (issue 15), on the demo's year: for every licensee at several
dates, the position API, the ledger (the account API), the overdue API, the licensee's invoices,
invoice and account pages, the administrator's dashboard and the overdue reminders the jobs
wrote all say the same: what is paid, what is due, overdue (days, interest), not yet due, credit
and the balance."""

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.app import create_app
from pool.auth import Principal
from pool.db import make_engine, session_scope
from pool.models.billing import Invoice, PaymentAllocation
from pool.models.outbox import OutboxMessage
from pool.models.pool import Pool
from pool.models.user import ApiTokenCreate, Role, User
from pool.services import accounts
from pool.services.billing import position
from pool.services.billing.reminders import OVERDUE
from pool.settings import Settings
from scheduler.demo.records import ADMIN_EMAIL, DEMO_PASSWORD
from tests.conftest import FakeClock
from tests.scheduler.demo_year import Built
from tests.web.conftest import post_form

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo"), pytest.mark.timeout(600)]

API = "/api/v1"
# a quarter's end, mid-quarter days, the year's end and after it: parts due, overdue, paid late
DATES = [
    date(2025, 3, 31),
    date(2025, 6, 15),
    date(2025, 9, 30),
    date(2025, 12, 20),
    date(2026, 2, 10),
]


@pytest.fixture(scope="module")
def copy(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The demo's data dir copied (its audit key included), so signing in here writes nothing
    into the year the other demo tests read."""
    data_dir = tmp_path_factory.mktemp("one-truth") / "data"
    shutil.copytree(built.data_dir, data_dir)
    engine = make_engine(f"sqlite:///{data_dir / 'patentpool.sqlite3'}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app_client(
    copy: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, FakeClock]]:
    clock = FakeClock(datetime(2025, 3, 31, 12, tzinfo=UTC))
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("one-truth-app"),
        database_url=copy.url.render_as_string(hide_password=False),
        argon2_time_cost=1,
        argon2_memory_kib=1024,
    )
    with TestClient(create_app(settings, engine=copy, clock=clock)) as client:
        yield client, clock


def licensees(engine: Engine) -> list[tuple[int, int, str]]:
    """(pool, organisation, a user's e-mail) of every licensee holding an invoice (a
    contributor billed evaluation fees has no licensee's pages: its own are tested in
    tests/web/test_evaluation_fee_pages.py)."""
    with Session(engine) as s:
        pairs = s.exec(
            select(Invoice.pool_id, Invoice.licensee_organisation_id)
            .where(Invoice.kind != "evaluation_fee")
            .distinct()
        ).all()
        users = {
            u.organisation_id: u.email
            for u in s.exec(select(User).where(User.role == Role.LICENSEE)).all()
        }
    return sorted((p, o, users[o]) for p, o in pairs)


def admin_headers(engine: Engine) -> dict[str, str]:
    """An API token of the demo's administrator, made by the service as the CLI would."""
    with session_scope(engine) as s:
        admin = s.exec(select(User).where(User.email == ADMIN_EMAIL)).one()
        caller = Principal(
            user_id=admin.id or 0, email=admin.email, role=Role.ADMIN, organisation_id=None,
            token_id=0,
        )  # fmt: skip
        _, raw = accounts.create_api_token(
            s, principal=caller, data=ApiTokenCreate(name="one truth"), now=datetime.now(UTC)
        )
    return {"Authorization": f"Bearer {raw}"}


def sign_in(client: TestClient, email: str) -> None:
    client.cookies.clear()
    done = post_form(client, "/login", {"email": email, "password": DEMO_PASSWORD})
    assert done.status_code == 303, done.text


def rows(page: str) -> dict[int, tuple[int, str]]:
    """Invoice id -> (still owed, state) from the invoices page's table."""
    found = {}
    for row in re.findall(
        r"<tr>\s*<td[^>]*><a href=\"/licensee/invoices/(\d+)\">(.*?)</tr>", page, re.S
    ):
        owed = re.search(r'data-outstanding="(-?\d+)"', row[1])
        state = re.search(r'data-state="(\w+)"', row[1])
        assert owed, row
        assert state, row
        found[int(row[0])] = (int(owed.group(1)), state.group(1))
    return found


def one(pattern: str, page: str) -> int:
    found = re.search(pattern, page)
    assert found, pattern
    return int(found.group(1))


def test_every_view_of_every_licensee_agrees_at_every_date(
    app_client: tuple[TestClient, FakeClock], copy: Engine
) -> None:
    client, clock = app_client
    headers = admin_headers(copy)
    seen = {"overdue": 0, "not_yet_due": 0, "paid": 0}
    for day in DATES:
        clock.now = datetime.combine(day, time(12), tzinfo=UTC)
        overdue_in_pool: dict[int, list[int]] = {}
        for pool_id, org, email in licensees(copy):
            url = f"{API}/licensees/{org}/position"
            p = client.get(
                url, params={"pool_id": pool_id, "as_of": str(day)}, headers=headers
            ).json()
            # the ledger says the same on that day: what is owed, due or not, less credit
            books = client.get(
                f"{API}/licensees/{org}/account",
                params={"pool_id": pool_id, "to": str(day + timedelta(days=1))},
                headers=headers,
            ).json()
            assert books["closing_balance_minor"] == p["balance_minor"], (day, org)
            assert books["credit_minor"] == p["credit_minor"], (day, org)
            assert books["receivable_minor"] == p["due_now_minor"], (day, org)
            assert books["deferred_receivable_minor"] == p["not_yet_due_minor"], (day, org)
            parts = [(i, part) for i in p["invoices"] for part in i["parts"]]
            late = sorted(
                (i["invoice_id"], part["due_on"], part["outstanding_minor"], part["days_late"],
                 part["interest_minor"])
                for i, part in parts if part["state"] == "overdue"
            )  # fmt: skip
            listed = client.get(
                f"{API}/invoices/overdue",
                params={"pool_id": pool_id, "as_of": str(day), "limit": 500},
                headers=headers,
            ).json()["items"]
            assert late == sorted(
                (o["invoice_id"], o["due_on"], o["outstanding_minor"], o["days_late"],
                 o["interest_minor"])
                for o in listed if o["licensee_organisation_id"] == org
            ), (day, org)  # fmt: skip
            overdue_in_pool.setdefault(pool_id, []).extend(x[2] for x in late)
            for _, part in parts:
                if part["state"] in seen:
                    seen[part["state"]] += 1
            # the licensee's own pages, on that day
            sign_in(client, email)
            listing = client.get("/licensee/invoices").text
            assert rows(listing) == {
                i["invoice_id"]: (i["outstanding_minor"], i["state"]) for i in p["invoices"]
            }, (day, org)
            assert (
                one(rf'id="position-{pool_id}" data-balance="(-?\d+)"', listing)
                == p["balance_minor"]
            )
            account = client.get(f"/licensee/account?pool_id={pool_id}").text
            assert one(r'data-balance="(-?\d+)"', account) == p["balance_minor"]
            assert one(r'data-due-now="(-?\d+)"', account) == p["due_now_minor"]
            for item in p["invoices"][-2:]:
                page = client.get(f"/licensee/invoices/{item['invoice_id']}").text
                assert one(r'data-outstanding="(-?\d+)"', page) == item["outstanding_minor"]
                assert re.findall(r'<tr data-state="(\w+)">', page) == [
                    part["state"] for part in item["parts"]
                ]
        # the administrator's dashboard adds up the same overdue parts
        sign_in(client, ADMIN_EMAIL)
        for pool_id, amounts in overdue_in_pool.items():
            board = client.get(f"/admin?pool_id={pool_id}").text
            assert one(r'data-overdue-minor="(\d+)"', board) == sum(amounts), day
            assert one(r'data-overdue-parts="(\d+)"', board) == len(amounts), day
    # the dates reach parts overdue, not yet due and paid, so the comparisons compared something
    # (the demo's licensees never pay more than they owe: credit is 0 throughout)
    assert all(seen.values()), seen


def test_the_overdue_reminders_name_exactly_the_parts_overdue_on_their_day(copy: Engine) -> None:
    """The reminder job runs at 02:00; the position counts the whole day. So a reminder may
    name a part paid later that day, and a part may turn overdue that day without a reminder
    only when its invoice was issued that day (a late report). Nothing else may differ."""
    with Session(copy) as s:
        written = s.exec(
            select(OutboxMessage.dedupe_key, OutboxMessage.created_at)
            .where(OutboxMessage.kind == OVERDUE)
            .order_by(col(OutboxMessage.created_at))
        ).all()
        assert written, "the demo's year writes overdue reminders"
        days = sorted({created.date() for _, created in written})
        pools = s.exec(select(Pool.id)).all()
        for day in days:
            keys_by_then = {k for k, c in written if c.date() <= day}
            keys_that_day = {k for k, c in written if c.date() == day}
            late = {
                f"{OVERDUE}:{x.invoice.invoice.id}:{x.part.due_on}"
                for pool_id in pools
                for x in position.late_parts(
                    s, pool_id=pool_id, licensee_organisation_id=None, as_of=day
                )
            }
            paid_that_day = set(
                s.exec(
                    select(PaymentAllocation.invoice_id).where(
                        PaymentAllocation.allocated_on == day
                    )
                ).all()
            )
            issued_that_day = set(s.exec(select(Invoice.id).where(Invoice.issued_on == day)).all())
            assert {invoice_of(k) for k in keys_that_day - late} <= paid_that_day, day
            assert {invoice_of(k) for k in late - keys_by_then} <= issued_that_day, day


def invoice_of(key: str) -> int:
    return int(key.split(":")[1])
