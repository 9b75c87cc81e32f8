"""Who may call what: every API route, for every role, on its own and on others' objects.

`POLICY` below is the access policy, one row per request. The status columns are always, in
this order (organisations as in the `world` fixture):

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator
                               (Uni A)      (Lab B)            (SME L)   (Big M)

The rules it spells out (DESIGN.md, "Access"):

- anonymous callers get 401 everywhere but login, `/health`, `/schema` and `/api/v1/public`;
- an object outside the caller's scope answers 404, never 403: we never confirm it exists;
- a role refused an action on something it may see gets 403;
- the auditor reads everything and changes nothing (it may still manage its own tokens and
  log out, like everyone);
- a contributor reads and changes only its own organisation's patents and membership;
- a licensee sees no contributor data: pool patents only through the public list.

Every refusal is an RFC 9457 problem, and a refused write changes nothing: the audit trail
has no new event and an administrator's re-read of the object is unchanged.
"""

import importlib
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from httpx import Response
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import TestClient
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from pool.app import create_app
from pool.db import make_engine
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.conftest import PASSWORD, World

ROLES = (
    "anonymous",
    "admin",
    "auditor",
    "contributor",
    "other_contributor",
    "licensee",
    "other_licensee",
    "evaluator",
)
API = "/api/v1"
MISSING_ID = 987_654_321

# Routes, spelled exactly as the app declares them.
LOGIN = f"{API}/auth/login"
LOGOUT = f"{API}/auth/logout"
ME = f"{API}/me"
MY_TOKENS = f"{API}/me/tokens"
MY_TOKEN = f"{API}/me/tokens/{{token_id:int}}"
USERS = f"{API}/users"
USER = f"{API}/users/{{user_id:int}}"
ORGANISATIONS = f"{API}/organisations"
ORGANISATION = f"{API}/organisations/{{organisation_id:int}}"
POOLS = f"{API}/pools"
POOL = f"{API}/pools/{{pool_id:int}}"
POOL_MEMBERSHIPS = f"{POOL}/memberships"
MEMBERSHIP = f"{API}/memberships/{{membership_id:int}}"
BOUNDS = f"{MEMBERSHIP}/bounds"
CAP_BOUND = {"kind": "cap", "share": "0.2", "effective_from": "2025-01-01"}
WITHDRAW = f"{MEMBERSHIP}/withdraw"
POOL_PATENTS = f"{POOL}/patents"
IMPORT = f"{POOL_PATENTS}/import"
PATENT = f"{API}/patents/{{patent_id:int}}"
EVALUATION = f"{PATENT}/evaluation"
ACCEPT = f"{PATENT}/accept"
REJECT = f"{PATENT}/reject"
END = f"{PATENT}/end"
INCLUSIONS = f"{PATENT}/inclusions"
INVENTORS = f"{PATENT}/inventors"
REMUNERATION = f"{ORGANISATION}/inventor-remuneration"
PUBLIC_POOLS = f"{API}/public/pools"
PUBLIC_PATENTS = f"{API}/public/pools/{{pool_id:int}}/patents"
AUDIT = f"{API}/audit"
AUDIT_VERIFY = f"{API}/audit/verify"

PATH_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")

Body = dict[str, Any] | str | Callable[["Objects"], dict[str, Any] | str] | None


@dataclass
class Objects:
    """Named real objects built through the API: ids by name, and API token secrets by name."""

    ids: dict[str, int]
    secrets: dict[str, str] = field(default_factory=dict)

    def id_for(self, name: str, role: str) -> int:
        if name == "own_token":  # each caller's own API token (anonymous borrows one)
            return self.ids["contributor_token" if role == "anonymous" else f"{role}_token"]
        return self.ids[name]


@dataclass(frozen=True)
class Case:
    method: str
    route: str
    on: str | None  # the named object the route's path parameter points at
    expect: dict[str, int]
    body: Body = None
    label: str | None = None  # tells apart rows that differ only in their body
    witness: tuple[str, str] | None = None  # (who, route): re-read to prove nothing changed

    def url(self, route: str, objects: Objects, role: str) -> str:
        if self.on is None:
            return route
        return PATH_PARAM.sub(lambda _: str(objects.id_for(self.on or "", role)), route)

    @property
    def test_id(self) -> str:
        path = PATH_PARAM.sub(r"{\1}", self.route.removeprefix(API))
        target = " ".join(x for x in (self.on, self.label) if x)
        return f"{self.method} {path} {target}".strip()


def row(
    method: str,
    route: str,
    on: str | None,
    statuses: str,
    *,
    body: Body = None,
    label: str | None = None,
    witness: str | tuple[str, str] | None = None,
) -> Case:
    """`statuses` lists one HTTP status per role, in the order of `ROLES`."""
    codes = [int(code) for code in statuses.split()]
    if len(codes) != len(ROLES):
        raise ValueError(f"{method} {route}: {len(codes)} statuses for {len(ROLES)} roles")
    if isinstance(witness, str):
        witness = ("admin", witness)
    return Case(method, route, on, dict(zip(ROLES, codes, strict=True)), body, label, witness)


def new_user(o: Objects) -> dict[str, Any]:
    return {
        "email": "new.person@example.org",
        "display_name": "New Person",
        "password": "a long enough password",
        "role": "contributor",
        "organisation_id": o.ids["uni"],
    }


NEW_ORGANISATION = {"name": "Newco", "kind": "private_company", "country": "US"}
NEW_POOL = {"name": "Second pool", "technology_field": "ict_services", "currency": "USD"}


def membership_of_newcomer(o: Objects) -> dict[str, Any]:
    return {
        "organisation_id": o.ids["newcomer"],
        "joined_on": "2025-01-01",
        "agreement_version": "v1",
    }


def patent_of_own_organisation(_: Objects) -> dict[str, Any]:
    return {"number": "JP6123456B2", "title": "Low-latency codec", "filing_date": "2018-05-02"}


def patent_of_uni(o: Objects) -> dict[str, Any]:
    return {**patent_of_own_organisation(o), "owner_organisation_id": o.ids["uni"]}


def csv_of_uni(o: Objects) -> str:
    return (
        "number,title,filing_date,owner_organisation_id\n"
        f"CN201710111222.4,Entropy coder,2017-03-01,{o.ids['uni']}\n"
    )


WITHDRAW_MEMBERSHIP = {"withdrawn_on": "2025-06-30"}
RETITLE = {"title": "Corrected title"}
ACCEPT_BODY = {"admitted_on": "2025-06-01"}
REJECT_BODY = {"reason": "not essential to the standard"}
WITHDRAW_PATENT = {"status": "withdrawn", "on": "2025-06-01"}
INVENTORS_BODY = {
    "inventors": [
        {"name": "Li Wei", "share_percent": "60"},
        {"name": "Zhang Min", "staff_number": "S-1", "share_percent": "40"},
    ]
}
EXPIRE_PATENT = {"status": "expired", "on": "2025-06-01"}

# fmt: off
POLICY: list[Case] = [
    # statuses for: anonymous, admin, auditor, contributor (Uni A), other_contributor (Lab B),
    #               licensee (SME L), other_licensee (Big M)
    # -- the API's root: links only, for anyone
    row("GET", API, None, "200 200 200 200 200 200 200 200"),
    # -- signing in and one's own account: everyone, for themselves only
    row("POST", LOGIN, None, "200 200 200 200 200 200 200 200",
        body={"email": "uni@example.org", "password": PASSWORD}),
    row("POST", LOGOUT, None, "401 204 204 204 204 204 204 204"),
    row("GET", ME, None, "401 200 200 200 200 200 200 200"),
    row("GET", MY_TOKENS, None, "401 200 200 200 200 200 200 200"),
    row("POST", MY_TOKENS, None, "401 201 201 201 201 201 201 201", body={"name": "script"}),
    row("DELETE", MY_TOKEN, "own_token", "401 204 204 204 204 204 204 204"),
    row("DELETE", MY_TOKEN, "contributor_token", "401 404 404 204 404 404 404 404",
        witness=("contributor_token", ME)),
    row("DELETE", MY_TOKEN, "other_contributor_token", "401 404 404 404 204 404 404 404",
        witness=("other_contributor_token", ME)),
    row("DELETE", MY_TOKEN, "missing", "401 404 404 404 404 404 404 404"),
    # -- user accounts: staff read all, others only themselves; only the admin creates
    row("GET", USERS, None, "401 200 200 200 200 200 200 200"),
    row("POST", USERS, None, "401 201 403 403 403 403 403 403", body=new_user, witness=USERS),
    row("GET", USER, "user:contributor", "401 200 200 200 404 404 404 404"),
    row("GET", USER, "user:other_contributor", "401 200 200 404 200 404 404 404"),
    row("GET", USER, "user:licensee", "401 200 200 404 404 200 404 404"),
    row("GET", USER, "missing", "401 404 404 404 404 404 404 404"),
    # -- organisations: staff read all, members their own; only the admin changes them
    row("GET", ORGANISATIONS, None, "401 200 200 200 200 200 200 200"),
    row("POST", ORGANISATIONS, None, "401 201 403 403 403 403 403 403",
        body=NEW_ORGANISATION, witness=ORGANISATIONS),
    row("GET", ORGANISATION, "uni", "401 200 200 200 404 404 404 404"),
    row("GET", ORGANISATION, "lab", "401 200 200 404 200 404 404 404"),
    row("GET", ORGANISATION, "sme", "401 200 200 404 404 200 404 404"),
    row("GET", ORGANISATION, "missing", "401 404 404 404 404 404 404 404"),
    row("PATCH", ORGANISATION, "uni", "401 200 403 403 404 404 404 404",
        body={"name": "Renamed"}, witness=ORGANISATION),
    row("PATCH", ORGANISATION, "lab", "401 200 403 404 403 404 404 404",
        body={"name": "Renamed"}, witness=ORGANISATION),
    row("PATCH", ORGANISATION, "sme", "401 200 403 404 404 403 404 404",
        body={"name": "Renamed"}, witness=ORGANISATION),
    # -- pools: their terms are public to every signed-in user; only the admin changes them
    row("GET", POOLS, None, "401 200 200 200 200 200 200 200"),
    row("POST", POOLS, None, "401 201 403 403 403 403 403 403", body=NEW_POOL, witness=POOLS),
    row("GET", POOL, "pool", "401 200 200 200 200 200 200 200"),
    row("GET", POOL, "missing", "401 404 404 404 404 404 404 404"),
    row("PATCH", POOL, "pool", "401 200 403 403 403 403 403 403",
        body={"standard": "ISO/IEC 23008-2"}, witness=POOL),
    # -- memberships: staff and the member itself; licensees see none
    row("GET", POOL_MEMBERSHIPS, "pool", "401 200 200 200 200 404 404 404"),
    row("POST", POOL_MEMBERSHIPS, "pool", "401 201 403 403 403 403 403 403",
        body=membership_of_newcomer, witness=POOL_MEMBERSHIPS),
    row("GET", MEMBERSHIP, "uni_membership", "401 200 200 200 404 404 404 404"),
    row("GET", MEMBERSHIP, "lab_membership", "401 200 200 404 200 404 404 404"),
    row("GET", MEMBERSHIP, "missing", "401 404 404 404 404 404 404 404"),
    row("GET", BOUNDS, "uni_membership", "401 200 200 200 404 404 404 404"),
    row("GET", BOUNDS, "lab_membership", "401 200 200 404 200 404 404 404"),
    row("GET", BOUNDS, "missing", "401 404 404 404 404 404 404 404"),
    row("POST", BOUNDS, "uni_membership", "401 201 403 403 404 404 404 404",
        body=CAP_BOUND, witness=BOUNDS),
    row("POST", BOUNDS, "lab_membership", "401 201 403 404 403 404 404 404",
        body=CAP_BOUND, witness=BOUNDS),
    row("POST", BOUNDS, "missing", "401 404 404 404 404 404 404 404", body=CAP_BOUND),
    row("POST", WITHDRAW, "uni_membership", "401 200 403 200 404 404 404 404",
        body=WITHDRAW_MEMBERSHIP, witness=MEMBERSHIP),
    row("POST", WITHDRAW, "lab_membership", "401 200 403 404 200 404 404 404",
        body=WITHDRAW_MEMBERSHIP, witness=MEMBERSHIP),
    # -- patents: staff and the owner; licensees see them only in the public list
    row("GET", POOL_PATENTS, "pool", "401 200 200 200 200 404 404 404"),
    row("POST", POOL_PATENTS, "pool", "401 422 403 201 201 403 403 403",
        body=patent_of_own_organisation, label="(own organisation)", witness=POOL_PATENTS),
    row("POST", POOL_PATENTS, "pool", "401 201 403 201 422 403 403 403",
        body=patent_of_uni, label="(owner Uni A)", witness=POOL_PATENTS),
    row("POST", IMPORT, "pool", "401 201 403 201 422 403 403 403",
        body=csv_of_uni, label="(owner Uni A)", witness=POOL_PATENTS),
    row("GET", PATENT, "uni_submitted", "401 200 200 200 404 404 404 404"),
    row("GET", PATENT, "lab_submitted", "401 200 200 404 200 404 404 404"),
    row("GET", PATENT, "missing", "401 404 404 404 404 404 404 404"),
    row("GET", INVENTORS, "uni_submitted", "401 200 200 200 404 404 404 404"),
    row("GET", INVENTORS, "lab_submitted", "401 200 200 404 200 404 404 404"),
    row("GET", REMUNERATION, "uni", "401 200 200 200 404 404 404 404"),
    row("GET", REMUNERATION, "lab", "401 200 200 404 200 404 404 404"),
    row("GET", REMUNERATION, "missing", "401 404 404 404 404 404 404 404"),
    row("GET", INVENTORS, "missing", "401 404 404 404 404 404 404 404"),
    row("PUT", INVENTORS, "uni_submitted", "401 200 403 200 404 404 404 404",
        body=INVENTORS_BODY, witness=INVENTORS),
    row("PUT", INVENTORS, "lab_submitted", "401 200 403 404 200 404 404 404",
        body=INVENTORS_BODY, witness=INVENTORS),
    row("PUT", INVENTORS, "missing", "401 404 404 404 404 404 404 404", body=INVENTORS_BODY),
    row("PATCH", PATENT, "uni_submitted", "401 200 403 200 404 404 404 404",
        body=RETITLE, witness=PATENT),
    row("PATCH", PATENT, "lab_submitted", "401 200 403 404 200 404 404 404",
        body=RETITLE, witness=PATENT),
    row("POST", EVALUATION, "uni_submitted", "401 200 403 403 404 404 404 404", witness=PATENT),
    row("POST", EVALUATION, "lab_submitted", "401 200 403 404 403 404 404 404", witness=PATENT),
    row("POST", EVALUATION, "missing", "401 404 404 404 404 404 404 404"),
    row("POST", ACCEPT, "uni_evaluating", "401 200 403 403 404 404 404 404",
        body=ACCEPT_BODY, witness=PATENT),
    row("POST", ACCEPT, "lab_evaluating", "401 200 403 404 403 404 404 404",
        body=ACCEPT_BODY, witness=PATENT),
    row("POST", REJECT, "uni_evaluating", "401 200 403 403 404 404 404 404",
        body=REJECT_BODY, witness=PATENT),
    row("POST", REJECT, "lab_evaluating", "401 200 403 404 403 404 404 404",
        body=REJECT_BODY, witness=PATENT),
    row("POST", END, "uni_submitted", "401 200 403 200 404 404 404 404",
        body=WITHDRAW_PATENT, label="(withdrawn)", witness=PATENT),
    row("POST", END, "lab_submitted", "401 200 403 404 200 404 404 404",
        body=WITHDRAW_PATENT, label="(withdrawn)", witness=PATENT),
    row("POST", END, "uni_accepted", "401 200 403 403 404 404 404 404",
        body=EXPIRE_PATENT, label="(expired)", witness=PATENT),
    row("POST", END, "lab_accepted", "401 200 403 404 403 404 404 404",
        body=EXPIRE_PATENT, label="(expired)", witness=PATENT),
    row("GET", INCLUSIONS, "uni_accepted", "401 200 200 200 404 404 404 404"),
    row("GET", INCLUSIONS, "lab_accepted", "401 200 200 404 200 404 404 404"),
    # -- the published patent list: anyone, signed in or not
    row("GET", PUBLIC_POOLS, None, "200 200 200 200 200 200 200 200"),
    row("GET", PUBLIC_PATENTS, "pool", "200 200 200 200 200 200 200 200"),
    # -- the audit trail: staff only; to everyone else it does not exist
    row("GET", AUDIT, None, "401 200 200 404 404 404 404 404"),
    row("GET", AUDIT_VERIFY, None, "401 200 200 404 404 404 404 404"),
]
# fmt: on

# Path parameters that point at an organisation's (or a user's) own object: rows for them must
# cover at least two such objects, so both "own" and "someone else's" are exercised.
OWNED_PARAMS = ("token_id", "user_id", "organisation_id", "membership_id", "patent_id")


# ---------------------------------------------------------------- building the objects


def ok(response: Response) -> Any:
    assert response.is_success, response.text
    return response.json()


def submit(
    client: TestClient, world: World, headers: dict[str, str], patent: dict[str, Any]
) -> int:
    url = f"{API}/pools/{world.pool_id}/patents"
    return int(ok(client.post(url, json=patent, headers=headers))["id"])


def patents_of(
    client: TestClient, world: World, org: str, headers: dict[str, str], numbers: list[str]
) -> dict[str, int]:
    """One submitted, one under evaluation and one accepted patent, submitted by their owner."""
    admin = world.admin.headers
    submitted, evaluating, accepted = (
        submit(
            client,
            world,
            headers,
            {
                "number": number,
                "country": "DE" if number.startswith("EP") else None,
                "title": f"Video coding method {number}",
                "filing_date": "2019-01-15",
                "grant_date": "2021-03-02",
                "expiry_date": "2039-01-15",
            },
        )
        for number in numbers
    )
    for patent_id in (evaluating, accepted):
        ok(client.post(f"{API}/patents/{patent_id}/evaluation", headers=admin))
    ok(
        client.post(
            f"{API}/patents/{accepted}/accept", json={"admitted_on": "2024-06-01"}, headers=admin
        )
    )
    return {
        f"{org}_submitted": submitted,
        f"{org}_evaluating": evaluating,
        f"{org}_accepted": accepted,
    }


def build_objects(client: TestClient, world: World) -> Objects:
    """Patents, memberships, organisations, users and API tokens of both contributors (and of
    everyone else), built through the API."""
    admin = world.admin.headers
    ids = {
        "pool": world.pool_id,
        "missing": MISSING_ID,
        "uni": world.contributor.organisation_id or 0,
        "lab": world.other_contributor.organisation_id or 0,
        "sme": world.licensee.organisation_id or 0,
        "big": world.other_licensee.organisation_id or 0,
    }
    newcomer = {"name": "Inst C", "kind": "research_institute", "country": "DE"}
    ids["newcomer"] = ok(client.post(ORGANISATIONS, json=newcomer, headers=admin))["id"]
    ids |= patents_of(
        client,
        world,
        "uni",
        world.contributor.headers,
        ["US10123456B2", "US9876543B1", "EP1234567B1"],
    )
    ids |= patents_of(
        client,
        world,
        "lab",
        world.other_contributor.headers,
        ["CN201810123456.5", "CN201910654321.6", "EP2345678B1"],
    )
    listed = ok(client.get(f"{API}/pools/{world.pool_id}/memberships", headers=admin))
    by_org = {m["organisation_id"]: m["id"] for m in listed["items"]}
    ids["uni_membership"], ids["lab_membership"] = by_org[ids["uni"]], by_org[ids["lab"]]
    objects = Objects(ids)
    for role, caller in world.callers.items():
        ids[f"user:{role}"] = caller.user_id
        token = ok(client.post(MY_TOKENS, json={"name": "script"}, headers=caller.headers))
        ids[f"{role}_token"] = token["id"]
        objects.secrets[f"{role}_token"] = token["token"]
    return objects


# Speed: the module makes ~450 calls, each on a fresh database, so it avoids what costs more
# than the calls themselves. One app serves the whole module (building one takes ~70 ms); each
# test points it at its own database, settings and clock, which live in `app.state`. The scene
# is built through the API once, by the first test; every test then starts from a copy of it
# (on SQLite a copy of a template file, on PostgreSQL its rows put back into the tables).

Rows = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Template:
    world: World
    objects: Objects
    settings: Settings
    rows: Rows
    sqlite_file: Path | None


_TEMPLATE: list[Template] = []


def dump(engine: Engine) -> Rows:
    with engine.connect() as conn:
        return {
            table.name: [
                dict(row._mapping)
                for row in conn.execute(table.select().order_by(*table.primary_key.columns))
            ]
            for table in SQLModel.metadata.sorted_tables
        }


def load(engine: Engine, rows: Rows) -> None:
    """Replace every table's rows with `rows` (DELETE beats TRUNCATE on tables this small)."""
    tables = SQLModel.metadata.sorted_tables
    with engine.begin() as conn:
        for table in reversed(tables):
            conn.execute(table.delete())
        for table in tables:
            if rows[table.name]:
                conn.execute(table.insert(), rows[table.name])
            if conn.dialect.name == "postgresql" and "id" in table.columns:
                conn.execute(
                    text(  # explicit ids do not move PostgreSQL's sequences
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
                    )
                )


@contextmanager
def serving(
    client: TestClient, engine: Engine, settings: Settings, clock: FakeClock
) -> Iterator[TestClient]:
    state = client.app.state
    saved = state.engine, state.settings, state.clock
    state.engine, state.settings, state.clock = engine, settings, clock
    try:
        yield client
    finally:
        state.engine, state.settings, state.clock = saved


def build_template(
    request: pytest.FixtureRequest, client: TestClient, clock: FakeClock, directory: Path
) -> Template:
    """The `world` on a fresh conftest database, plus `build_objects` through the API."""
    engine: Engine = request.getfixturevalue("engine")
    settings: Settings = request.getfixturevalue("settings")
    world: World = request.getfixturevalue("world")
    with serving(client, engine, settings, clock):
        objects = build_objects(client, world)
    rows = dump(engine)
    if engine.dialect.name != "sqlite":
        return Template(world, objects, settings, rows, None)
    template = make_engine(f"sqlite:///{directory / 'scene.sqlite3'}")
    SQLModel.metadata.create_all(template)
    load(template, rows)
    template.dispose()  # the last connection to close folds the WAL into the file
    return Template(world, objects, settings, rows, directory / "scene.sqlite3")


@contextmanager
def fresh_copy(template: Template, tmp_path: Path, pg: Engine | None) -> Iterator[Engine]:
    if template.sqlite_file is None:
        assert pg is not None
        load(pg, template.rows)
        yield pg
        return
    shutil.copyfile(template.sqlite_file, tmp_path / "test.sqlite3")
    engine = make_engine(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def shared_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    base = tmp_path_factory.mktemp("authorization")
    unused = make_engine(f"sqlite:///{base / 'unused.sqlite3'}")
    with TestClient(create_app(settings=Settings(data_dir=base), engine=unused)) as test_client:
        yield test_client
    unused.dispose()


@dataclass
class Scene:
    client: TestClient
    world: World
    objects: Objects


@pytest.fixture
def scene(
    request: pytest.FixtureRequest,
    shared_client: TestClient,
    clock: FakeClock,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    pg_schema_engine: Engine | None,
) -> Iterator[Scene]:
    """The `world` and the named objects, in this test's own fresh database."""
    if not _TEMPLATE:
        directory = tmp_path_factory.mktemp("scene")
        _TEMPLATE.append(build_template(request, shared_client, clock, directory))
    template = _TEMPLATE[0]
    with fresh_copy(template, tmp_path, pg_schema_engine) as engine:
        url = engine.url.render_as_string(hide_password=False)
        settings = replace(template.settings, data_dir=tmp_path, database_url=url)
        with serving(shared_client, engine, settings, clock) as client:
            yield Scene(client, template.world, template.objects)


# ---------------------------------------------------------------- calling as someone


def headers_of(who: str, world: World, objects: Objects) -> dict[str, str]:
    if who == "anonymous":
        return {}
    if who in objects.secrets:
        return {"Authorization": f"Bearer {objects.secrets[who]}"}
    return world.callers[who].headers


def send(
    client: TestClient, case: Case, url: str, headers: dict[str, str], objects: Objects
) -> Response:
    body = case.body(objects) if callable(case.body) else case.body
    if isinstance(body, str):
        headers = {**headers, "Content-Type": "text/csv"}
        return client.request(case.method, url, content=body.encode(), headers=headers)
    return client.request(case.method, url, json=body, headers=headers)


def audit_events(client: TestClient, world: World) -> int:
    return int(ok(client.get(AUDIT, params={"limit": 1}, headers=world.admin.headers))["total"])


def footprint(
    client: TestClient, world: World, objects: Objects, case: Case, role: str
) -> tuple[int, int | None, Any]:
    """What a refused write must leave alone: the audit trail and the object it aimed at."""
    if case.witness is None:
        return audit_events(client, world), None, None
    who, route = case.witness
    url = case.url(route, objects, role)
    seen = client.get(url, params={"limit": 500}, headers=headers_of(who, world, objects))
    return audit_events(client, world), seen.status_code, seen.json()


def assert_problem(response: Response, status: int) -> None:
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == status


# ---------------------------------------------------------------- the policy, enforced


@pytest.mark.parametrize(
    ("case", "role"),
    [
        pytest.param(case, role, id=f"{case.test_id} as {role} -> {case.expect[role]}")
        for case in POLICY
        for role in ROLES
    ],
)
def test_access(scene: Scene, case: Case, role: str) -> None:
    client, world, objects = scene.client, scene.world, scene.objects
    expected = case.expect[role]
    refused_write = case.method != "GET" and expected >= 400
    before = footprint(client, world, objects, case, role) if refused_write else None
    url = case.url(case.route, objects, role)

    response = send(client, case, url, headers_of(role, world, objects), objects)

    assert response.status_code == expected, response.text
    if expected >= 400:
        assert_problem(response, expected)
    if before is not None:
        assert footprint(client, world, objects, case, role) == before, (
            "a refused write changed data"
        )


# ---------------------------------------------------------------- what lists show


@dataclass(frozen=True)
class Scope:
    route: str
    query: dict[str, str]
    kind: tuple[str, ...]  # every named object the list could show
    sees: dict[str, set[str]]  # role -> exactly which of them it shows


PATENTS = tuple(
    f"{org}_{stage}" for org in ("uni", "lab") for stage in ("submitted", "evaluating", "accepted")
)
UNI_PATENTS = {p for p in PATENTS if p.startswith("uni")}
LAB_PATENTS = {p for p in PATENTS if p.startswith("lab")}
MEMBERSHIPS = ("uni_membership", "lab_membership")
ORGS = ("uni", "lab", "sme", "big", "newcomer")
USER_NAMES = tuple(f"user:{role}" for role in ROLES[1:])
TOKENS = tuple(f"{role}_token" for role in ROLES[1:])
STAFF = ("admin", "auditor")


def scope(
    name: str,
    route: str,
    query: dict[str, str],
    kind: tuple[str, ...],
    staff: tuple[str, ...] | None = None,
    **sees: set[str],
) -> Any:
    """Staff see all of `kind` (or of `staff`, when filtered); the roles named see exactly that."""
    everything = set(kind if staff is None else staff)
    return pytest.param(
        Scope(route, query, kind, {"admin": everything, "auditor": everything, **sees}), id=name
    )


# fmt: off
SCOPES = [
    # what a list shows, and to whom; "lab" in a filter stands for Lab B's id
    scope("pool patents", POOL_PATENTS, {}, PATENTS,
          contributor=UNI_PATENTS, other_contributor=LAB_PATENTS),
    scope("pool patents filtered by another owner", POOL_PATENTS,
          {"owner_organisation_id": "lab"}, PATENTS, tuple(LAB_PATENTS),
          contributor=set(), other_contributor=LAB_PATENTS),
    scope("pool memberships", POOL_MEMBERSHIPS, {}, MEMBERSHIPS,
          contributor={"uni_membership"}, other_contributor={"lab_membership"}),
    scope("organisations", ORGANISATIONS, {}, ORGS,
          contributor={"uni"}, other_contributor={"lab"}, licensee={"sme"},
          other_licensee={"big"}),
    scope("organisations filtered by another's kind", ORGANISATIONS,
          {"kind": "research_institute"}, ORGS, ("lab", "newcomer"),
          contributor=set(), other_contributor={"lab"}, licensee=set(), other_licensee=set()),
    scope("users", USERS, {}, USER_NAMES,
          **{role: {f"user:{role}"} for role in ROLES[3:]}),
    scope("users filtered by another organisation", USERS, {"organisation_id": "lab"},
          USER_NAMES, ("user:other_contributor",),
          contributor=set(), other_contributor={"user:other_contributor"}, licensee=set(),
          other_licensee=set()),
    scope("own API tokens (staff too)", MY_TOKENS, {}, TOKENS,
          **{role: {f"{role}_token"} for role in ROLES[1:]}),
]
# fmt: on


def shown(response: Response) -> tuple[list[int], int]:
    body = response.json()  # every list is a page (issue 13)
    return [item["id"] for item in body["items"]], body["total"]


@pytest.mark.parametrize("scope", SCOPES)
def test_lists_show_only_what_the_caller_may_see(scene: Scene, scope: Scope) -> None:
    """A list never shows, nor counts, another organisation's rows, however it is filtered."""
    client, world, objects = scene.client, scene.world, scene.objects
    names = {objects.ids[name]: name for name in scope.kind}
    query = {key: objects.ids.get(value, value) for key, value in scope.query.items()}
    url = scope.route.replace("{pool_id:int}", str(world.pool_id))
    seen: dict[str, set[str]] = {}
    for role in scope.sees:
        response = client.get(
            url, params={**query, "limit": 500}, headers=world.callers[role].headers
        )
        assert response.status_code == 200, (role, response.text)
        item_ids, total = shown(response)
        seen[role] = {names[i] for i in item_ids if i in names}
        if role not in STAFF:
            assert total == len(item_ids), f"{role} is told of rows it cannot see"
    assert seen == scope.sees


# ---------------------------------------------------------------- no route without a policy


def normalised(path: str) -> str:
    return PATH_PARAM.sub(r"{\1}", path)


def api_routes(app: Litestar) -> set[tuple[str, str]]:
    return {
        (method, route.path)
        for route in app.routes
        if isinstance(route, HTTPRoute) and (route.path == API or route.path.startswith(f"{API}/"))
        for method in route.methods
        if method not in ("OPTIONS", "HEAD")
    }


def policies_elsewhere() -> set[tuple[str, str]]:
    """Routes whose policy table lives in a sibling module `test_authorization_<area>.py`,
    each exporting `COVERED_ROUTES`: a set of (method, route as the app declares it)."""
    covered: set[tuple[str, str]] = set()
    for module_path in sorted(Path(__file__).parent.glob("test_authorization_*.py")):
        module = importlib.import_module(f"tests.pool.{module_path.stem}")
        covered |= set(module.COVERED_ROUTES)
    return covered


def test_every_api_route_has_a_row_in_the_policy(shared_client: TestClient) -> None:
    """A new endpoint cannot ship without saying who may call it."""
    declared = api_routes(shared_client.app)
    covered = {(case.method, case.route) for case in POLICY} | policies_elsewhere()
    assert declared - covered == set(), "routes missing from POLICY"
    assert covered - declared == set(), "POLICY rows for routes the app does not have"


def test_every_documented_operation_has_a_row_in_the_policy(shared_client: TestClient) -> None:
    schema = shared_client.get("/schema/openapi.json")
    assert schema.status_code == 200
    documented = {
        (method.upper(), path)
        for path, operations in schema.json()["paths"].items()
        if path == API or path.startswith(f"{API}/")
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }
    routes = {(case.method, case.route) for case in POLICY} | policies_elsewhere()
    covered = {(method, normalised(route)) for method, route in routes}
    assert documented - covered == set()


def test_rows_on_owned_objects_cover_both_own_and_someone_elses() -> None:
    targets: dict[tuple[str, str], set[str]] = {}
    for case in POLICY:
        if any(f"{{{param}:" in case.route for param in OWNED_PARAMS) and case.on != "missing":
            targets.setdefault((case.method, case.route), set()).add(case.on or "")
    assert {key: on for key, on in targets.items() if len(on) < 2} == {}


@pytest.mark.parametrize("path", ["/health/live", "/health/ready", "/schema/openapi.json"])
def test_operations_endpoints_are_public(scene: Scene, path: str) -> None:
    assert scene.client.get(path).status_code == 200
