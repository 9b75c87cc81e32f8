"""Per-patent lines of a run, through HTTP on the worked example (test_worked_example.py):
each contributor x country x usage-period line split over the contributor's patents, stored
with the run, summing exactly to the line, and audited with it.

Q2 (patent_count, every patent in force all of Q1): Uni's CN line 45,008 over its 3 CN
patents = 15,002.67 each -> floors 15,002 x 3, the 2 leftover cents to the two lowest ids
(equal remainders): 15,003, 15,003, 15,002. Lab: CN 15,002 and US 29,990, one patent each.
Q3 adjustments: Uni CN 22,526 -> 7,509, 7,509, 7,508; Lab CN 7,509, US 15,010."""

from datetime import UTC, datetime

from litestar.testing import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session

from pool.services import audit
from pool.services.audit.money import MoneyVerification, _compare_row
from pool.services.audit.money_tables import BY_NAME, digest
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution import kit

API = "/api/v1"


def _lines(client: TestClient, world: World, who: str) -> list[tuple[str, str, int, int]]:
    caller = world.callers[who]
    [statement] = client.get(f"{API}/statements", headers=caller.headers).json()["items"][:1]
    r = client.get(f"{API}/statements/{statement['id']}/patent-lines", headers=caller.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["items"])
    for line in body["items"]:
        assert (line["title"], line["grade"], line["factor"]) == ("Codec", None, "1")
        assert line["days_in_force"] == 90
        assert line["weight"] == "90"
        assert line["patent_number"].startswith(line["country"])
    return [
        (x["country"], x["usage_start"], x["patent_id"], x["amount_minor"]) for x in body["items"]
    ]


def statement_id(client: TestClient, world: World) -> int:
    found = client.get(f"{API}/statements", headers=world.contributor.headers).json()
    return int(found["items"][0]["id"])


def _sums_match(engine: Engine) -> None:
    with engine.connect() as conn:
        mismatched = conn.execute(
            text(
                "SELECT l.id FROM distribution_run_line l WHERE l.amount_minor <> "
                "(SELECT coalesce(sum(p.amount_minor), 0) FROM distribution_run_patent_line p"
                " WHERE p.run_id = l.run_id AND p.contributor_organisation_id ="
                " l.contributor_organisation_id AND p.usage_start = l.usage_start"
                " AND p.usage_end = l.usage_end AND p.country = l.country)"
            )
        ).all()
        count = conn.execute(text("SELECT count(*) FROM distribution_run_patent_line")).scalar()
    assert mismatched == []
    assert count


def test_patent_lines_split_each_line_exactly_in_both_runs(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    kit.worked_example(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    q2 = kit.close(client, world, "2025-04-01")
    again = client.post(
        f"{API}/distribution-runs/{q2['id']}/recompute", headers=world.admin.headers
    )
    assert again.status_code == 200, again.text
    kit.approve(client, world, q2["id"])
    kit.issue(client, world, q2["id"])
    uni = _lines(client, world, "contributor")
    assert [(c, a) for c, _, _, a in uni] == [("CN", 15003), ("CN", 15003), ("CN", 15002)]
    assert [p for _, _, p, _ in uni] == sorted(p for _, _, p, _ in uni)
    first = client.get(
        f"{API}/statements/{statement_id(client, world)}/patent-lines?limit=2",
        headers=world.contributor.headers,
    ).json()
    assert (len(first["items"]), first["total"]) == (2, 3)
    statement = client.get(f"{API}/statements", headers=world.contributor.headers).json()
    csv = client.get(
        f"{API}/statements/{statement['items'][0]['id']}/documents/csv",
        headers=world.contributor.headers,
    ).content.decode("utf-8-sig")
    assert csv.count("Patent part,2025-01-01,2025-03-31,CN,") == 3
    assert [(c, a) for c, _, _, a in _lines(client, world, "other_contributor")] == [
        ("CN", 15002),
        ("US", 29990),
    ]
    _sums_match(engine)

    kit.pay(client, world, "Q2-2", 50050, "2025-08-15", clock)
    clock.now = datetime(2025, 11, 1, 9, tzinfo=UTC)
    q3 = kit.close(client, world, "2025-07-01")
    kit.approve(client, world, q3["id"])
    _sums_match(engine)
    with engine.connect() as conn:
        q3_uni = conn.execute(
            text(
                "SELECT amount_minor FROM distribution_run_patent_line WHERE run_id = :r"
                " AND contributor_organisation_id = :o ORDER BY patent_id"
            ),
            {"r": q3["id"], "o": world.contributor.organisation_id},
        ).scalars()
        assert list(q3_uni) == [7509, 7509, 7508]
    with Session(engine) as s:
        assert audit.verify_money(s).ok


def test_deleted_patent_lines_are_named_by_their_run(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    kit.worked_example(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    q2 = kit.close(client, world, "2025-04-01")
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM distribution_run_patent_line WHERE amount_minor = 15002"))
    with Session(engine) as s:
        found = audit.verify_money(s).first
    assert found is not None
    assert (found.table, found.row_id, found.field) == (
        "distribution_run",
        q2["id"],
        "patent_lines_sha256",
    )


def test_a_run_audited_before_patent_lines_existed_verifies_while_it_has_none() -> None:
    spec = BY_NAME["distribution_run"]
    stored = dict.fromkeys(spec.keys, "x")
    audited = {key: ("x", 7) for key in spec.keys if key != "patent_lines_sha256"}
    result = MoneyVerification()
    _compare_row(spec, 1, {**stored, "patent_lines_sha256": digest([])}, audited, result)
    assert result.ok
    _compare_row(spec, 1, stored, audited, result)  # it has some: they were never audited
    assert result.first is not None
    assert (result.first.problem, result.first.field) == ("unaudited", "patent_lines_sha256")
