"""The real app over the test database, and a small world of organisations, users and a pool."""

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.app import app_state, create_app
from pool.auth import Principal
from pool.db import session_scope
from pool.models.membership import MembershipCreate
from pool.models.organisation import OrganisationCreate, OrganisationKind, SizeClass
from pool.models.pool import PoolCreate, PoolStatus, PoolUpdate, TechnologyField
from pool.models.user import Role, User, UserCreate
from pool.services import accounts, audit, pools
from pool.services.accounts import organisations
from pool.services.pools import memberships
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.world_snapshot import Snapshot, is_empty

PASSWORD = "correct horse battery"
# The test pool exists before its members join (2024-01-01) and before any money the tests
# move: no date that moves money may precede the pool (pool.services.pools.money_dates).
POOL_CREATED = datetime(2024, 1, 1, tzinfo=UTC)


# One app per test worker (per set of the settings its routes are built with), not one per
# test: building one registers some 300 handlers (about 0.5-1 s), and most tests only need a
# fresh database, clock and data directory, which live in the app's state (`app_state`).
_BUILT: dict[tuple[object, ...], Litestar] = {}
# Without a configured secret, an app keeps one in its data directory: the first test's.
# A fixed one keeps every test's forms signed the same way whatever test came first.
_SHARED_COOKIE_SECRET = "one app per test worker: its CSRF secret"
# The worlds this worker has built, by clock time and password hashing cost (see `world`).
_WORLDS: dict[tuple[object, ...], "Snapshot[World]"] = {}


def app_for(settings: Settings, engine: Engine, clock: FakeClock) -> Litestar:
    """The worker's app for these settings, its state set to this test's."""
    built_with = (settings.cookie_secret, settings.cookie_secure, settings.max_upload_bytes)
    app = _BUILT.get(built_with)
    if app is None:
        secret = settings.cookie_secret or _SHARED_COOKIE_SECRET
        app = create_app(replace(settings, cookie_secret=secret), engine=engine, clock=clock)
        _BUILT[built_with] = app
    app.state.update(app_state(settings, engine, clock))
    return app


@pytest.fixture
def client(settings: Settings, engine: Engine, clock: FakeClock) -> Iterator[TestClient]:
    with TestClient(app_for(settings, engine, clock)) as test_client:
        yield test_client


@dataclass
class Caller:
    """A signed-in user as a test sees it: ids and the headers to call with."""

    user_id: int
    organisation_id: int | None
    token: str
    role: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class World:
    admin: Caller
    auditor: Caller
    contributor: Caller
    other_contributor: Caller
    licensee: Caller
    other_licensee: Caller
    evaluator: Caller  # of an evaluation agency: sees only the patents assigned to them
    pool_id: int
    callers: dict[str, Caller] = field(default_factory=dict)


def _org(session, name: str, kind: OrganisationKind, size: SizeClass | None, now) -> int:  # type: ignore[no-untyped-def]
    org = organisations.create(
        session,
        data=OrganisationCreate(
            name=name, kind=kind, size_class=size, country="US", withholding_rate=Decimal("0.1")
        ),
        actor=audit.Actor.system("test"),
        now=now,
    )
    return org.id or 0


def _user(session, settings: Settings, email: str, role: Role, org_id: int | None, now) -> Caller:  # type: ignore[no-untyped-def]
    user = accounts.create_user(
        session,
        data=UserCreate(
            email=email,
            display_name=email.split("@")[0],
            password=PASSWORD,
            role=role,
            organisation_id=org_id,
        ),
        hasher=accounts.password_hasher(settings),
        actor=audit.Actor.system("test"),
        now=now,
    )
    _, raw = accounts.issue_token(
        session, user=user, name="test", kind="api", now=now, expires_at=None
    )
    return Caller(user_id=user.id or 0, organisation_id=org_id, token=raw, role=role)


def admin_principal(user: Caller) -> Principal:
    return Principal(
        user_id=user.user_id,
        email="admin@example.org",
        role=Role.ADMIN,
        organisation_id=None,
        token_id=0,
    )


@pytest.fixture
def world(engine: Engine, settings: Settings, clock: FakeClock) -> World:
    """`build_world`, built once per test worker (for each clock time and password hashing
    cost) and copied into each test's empty database: building it through the services (six
    users, their tokens, a pool, the audit chain) took 60-100 ms, copying its rows a few."""
    key = (clock(), settings.argon2_time_cost, settings.argon2_memory_kib)
    if not is_empty(engine):  # a fixture wrote first: the copy's ids could clash with its
        return build_world(engine, settings, clock)
    snapshot = _WORLDS.get(key)
    if snapshot is None:
        built = build_world(engine, settings, clock)
        _WORLDS[key] = Snapshot.of(engine, built)
        return built
    return snapshot.restore_into(engine)


def build_world(engine: Engine, settings: Settings, clock: FakeClock) -> World:
    """Two contributors (members of one open pool), two licensees, an admin, an auditor and an
    evaluation agency's evaluator."""
    now = clock()
    with session_scope(engine) as s:
        uni = _org(s, "Uni A", OrganisationKind.UNIVERSITY, None, now)
        lab = _org(s, "Lab B", OrganisationKind.RESEARCH_INSTITUTE, None, now)
        sme = _org(s, "SME L", OrganisationKind.PRIVATE_COMPANY, SizeClass.SMALL, now)
        big = _org(s, "Big M", OrganisationKind.PRIVATE_COMPANY, SizeClass.LARGE, now)
        agency = _org(s, "Agency E", OrganisationKind.EVALUATION_AGENCY, None, now)
        admin = _user(s, settings, "admin@example.org", Role.ADMIN, None, now)
        w = World(
            admin=admin,
            auditor=_user(s, settings, "auditor@example.org", Role.AUDITOR, None, now),
            contributor=_user(s, settings, "uni@example.org", Role.CONTRIBUTOR, uni, now),
            other_contributor=_user(s, settings, "lab@example.org", Role.CONTRIBUTOR, lab, now),
            licensee=_user(s, settings, "sme@example.org", Role.LICENSEE, sme, now),
            other_licensee=_user(s, settings, "big@example.org", Role.LICENSEE, big, now),
            evaluator=_user(s, settings, "eve@example.org", Role.EVALUATOR, agency, now),
            pool_id=0,
        )
        boss = admin_principal(admin)
        pool = pools.create(
            s,
            principal=boss,
            data=PoolCreate(
                name="Test pool",
                technology_field=TechnologyField.ICT_MANUFACTURING,
                currency="USD",
                allocation_parameters={},
            ),
            now=POOL_CREATED,
        )
        w.pool_id = pool.id or 0
        pools.update(
            s, principal=boss, pool_id=w.pool_id, data=PoolUpdate(status=PoolStatus.OPEN), now=now
        )
        for org in (uni, lab):
            memberships.join(
                s,
                principal=boss,
                pool_id=w.pool_id,
                data=MembershipCreate(
                    organisation_id=org, joined_on=date(2024, 1, 1), agreement_version="v1"
                ),
                now=now,
            )
    w.callers = {
        "admin": w.admin,
        "auditor": w.auditor,
        "contributor": w.contributor,
        "other_contributor": w.other_contributor,
        "licensee": w.licensee,
        "other_licensee": w.other_licensee,
        "evaluator": w.evaluator,
    }
    return w


__all__ = ["PASSWORD", "Caller", "User", "World"]
