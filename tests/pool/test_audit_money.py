"""The money tables checked against the audit trail (`audit.verify_money`): a pool with an
invoice, payments (one settling it in part, one paying the rest and leaving credit), an
approved run and its issued statements verifies; each direct edit of a money table is
detected and named, and `patentpool audit verify` exits 1 on it."""

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from pool.db import session_scope
from pool.services import audit
from pool.services.audit.money import TABLES, MoneyVerification
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.distribution import kit
from tests.world_snapshot import Snapshot, is_empty


@dataclass(frozen=True)
class Books:
    """Ids in the built world: the invoice, the two payments, the approved run."""

    invoice_id: int
    payment_ids: tuple[int, int]
    run_id: int


_KEYS: dict[str, str] = {}
_BUILT: dict[str, Snapshot[Books]] = {}


def _build(request: pytest.FixtureRequest, engine: Engine, clock: FakeClock) -> Books:
    client = request.getfixturevalue("client")
    world = request.getfixturevalue("world")
    books = kit.worked_example(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    run = kit.close(client, world, "2025-04-01")
    kit.approve(client, world, run["id"])
    assert len(kit.issue(client, world, run["id"])) == 2
    kit.pay(client, world, "Q3-1", 60000, "2025-08-15", clock)  # the rest, and 99.50 credit
    with session_scope(engine) as s:
        ids = s.execute(text("SELECT id FROM payment ORDER BY id")).scalars().all()
    return Books(books.invoice_id, (ids[0], ids[1]), run["id"])


@pytest.fixture
def books(
    request: pytest.FixtureRequest, engine: Engine, clock: FakeClock, settings: Settings
) -> Books:
    """Built through HTTP once per test worker and database kind, copied into each test's
    empty database (building renders PDFs), with the audit key that signed its checkpoints
    (kept in the data dir of the test that built it)."""
    key = engine.dialect.name
    audit_key = settings.data_dir / "audit_key"
    if key in _BUILT and is_empty(engine):
        audit_key.write_text(_KEYS[key])
        return _BUILT[key].restore_into(engine)
    built = _build(request, engine, clock)
    _BUILT[key] = Snapshot.of(engine, built)
    _KEYS[key] = audit_key.read_text()
    return built


def verified(engine: Engine) -> MoneyVerification:
    with session_scope(engine) as s:
        return audit.verify_money(s)


def sql(engine: Engine, statement: str, **params: Any) -> Any:
    with engine.begin() as conn:
        return conn.execute(text(statement), params)


def one(engine: Engine, statement: str, **params: Any) -> Any:
    with engine.begin() as conn:
        return conn.execute(text(statement), params).scalar_one()


def test_an_untouched_pool_verifies_with_every_money_table_in_it(
    books: Books, engine: Engine
) -> None:
    result = verified(engine)
    assert result.ok, [d.describe() for d in result.disagreements]
    assert result.rows_checked == {
        "payment": 2,
        "payment_allocation": 2,
        "invoice": 1,
        "distribution_run": 1,
        "statement": 2,
        "payout_batch": 0,
        "payout_line": 0,
        "patent_deal": 0,  # deals: tests/pool/deals/test_deal_money_audited.py
        "deal_receipt": 0,
    }
    actions = set(
        sql(engine, "SELECT DISTINCT action FROM audit_event WHERE action LIKE '%.%'").scalars()
    )
    assert {"payment_allocation.made", "invoice.paid", "statement.issued"} <= actions


def test_a_payment_raised_by_1000_is_named_with_its_event(books: Books, engine: Engine) -> None:
    payment = books.payment_ids[0]
    sql(engine, "UPDATE payment SET amount_minor = amount_minor + 100000 WHERE id = :i", i=payment)
    recorded = one(
        engine,
        "SELECT id FROM audit_event WHERE action = 'payment.recorded' AND entity_id = :i",
        i=str(payment),
    )
    found = verified(engine).first
    assert found is not None
    assert (found.table, found.row_id, found.field) == ("payment", payment, "amount_minor")
    assert (found.stored, found.audited, found.event_id) == (200000, 100000, recorded)
    assert found.describe() == (
        f"payment {payment} amount_minor is 200000, audited 100000 (event {recorded})"
    )


def test_an_edited_statement_total_is_named(books: Books, engine: Engine) -> None:
    statement = one(engine, "SELECT min(id) FROM statement")
    sql(engine, "UPDATE statement SET net_payable_minor = 1 WHERE id = :i", i=statement)
    found = verified(engine).first
    assert found is not None
    assert (found.table, found.row_id, found.field, found.stored) == (
        "statement",
        statement,
        "net_payable_minor",
        1,
    )


def test_a_deleted_allocation_is_named_as_gone(books: Books, engine: Engine) -> None:
    allocation = one(engine, "SELECT max(id) FROM payment_allocation")
    sql(engine, "DELETE FROM payment_allocation WHERE id = :i", i=allocation)
    result = verified(engine)
    assert result.first is not None
    assert (result.first.table, result.first.row_id, result.first.problem) == (
        "payment_allocation",
        allocation,
        "gone",
    )


def test_an_allocation_inserted_without_an_event_is_named(books: Books, engine: Engine) -> None:
    sql(
        engine,
        "INSERT INTO payment_allocation (payment_id, invoice_id, amount_minor, allocated_on)"
        " VALUES (:p, :i, 5000, '2025-08-20')",
        p=books.payment_ids[1],
        i=books.invoice_id,
    )
    inserted = one(engine, "SELECT max(id) FROM payment_allocation")
    found = verified(engine).first
    assert found is not None
    assert (found.table, found.row_id, found.problem, found.field) == (
        "payment_allocation",
        inserted,
        "unaudited",
        None,
    )
    assert "no audited event" in found.describe()


def test_an_edited_invoice_total_is_named(books: Books, engine: Engine) -> None:
    sql(engine, "UPDATE invoice SET total_minor = 1 WHERE id = :i", i=books.invoice_id)
    found = verified(engine).first
    assert found is not None
    assert (found.table, found.row_id, found.field, found.stored, found.audited) == (
        "invoice",
        books.invoice_id,
        "total_minor",
        1,
        150050,
    )


def test_an_edited_invoice_line_is_named_by_its_invoice(books: Books, engine: Engine) -> None:
    sql(engine, "UPDATE invoice_line SET amount_minor = amount_minor + 1 WHERE line_no = 1")
    found = verified(engine).first
    assert found is not None
    assert (found.table, found.row_id, found.field) == ("invoice", books.invoice_id, "lines_sha256")


def test_a_run_contributors_edited_net_is_named_by_its_run(books: Books, engine: Engine) -> None:
    sql(
        engine,
        "UPDATE distribution_run_contributor SET net_payable_minor = net_payable_minor + 100"
        " WHERE run_id = :r AND contributor_organisation_id ="
        " (SELECT min(contributor_organisation_id) FROM distribution_run_contributor)",
        r=books.run_id,
    )
    found = verified(engine).first
    assert found is not None
    assert (found.table, found.row_id, found.field) == (
        "distribution_run",
        books.run_id,
        "contributors_sha256",
    )
    computed = one(
        engine,
        "SELECT id FROM audit_event WHERE action = 'distribution_run.computed' AND entity_id = :r",
        r=str(books.run_id),
    )
    assert found.event_id == computed


def test_a_stored_documents_changed_bytes_are_named(books: Books, engine: Engine) -> None:
    """The digest is recomputed from the bytes: the `sha256` column is not trusted."""
    document = one(engine, "SELECT min(id) FROM statement_document WHERE format = 'csv'")
    content = one(engine, "SELECT content FROM statement_document WHERE id = :i", i=document)
    sql(
        engine,
        "UPDATE statement_document SET content = :c WHERE id = :i",
        c=bytes(content).replace(b"4", b"5"),
        i=document,
    )
    found = verified(engine).first
    assert found is not None
    assert (found.table, found.row_id, found.field) == (
        "statement_document",
        document,
        "sha256 of csv content",
    )


def _edited(value: Any) -> Any:
    """A different value of the same type and length (a varchar(3) currency stays 3 long)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, date | datetime):
        return value + timedelta(days=1)
    if isinstance(value, bytes | memoryview):
        return bytes(value) + b" "
    return value[:-1] + ("A" if value[-1:] != "A" else "B")


def _cells(engine: Engine) -> Iterator[tuple[str, int, str, Any]]:
    """(table, row id, column, value) of every compared column of every money row and child
    row, foreign keys and nulls left out (an edit there would be refused by the database)."""
    tables = [(t.table, t.fields) for t in TABLES]
    tables += [(c.table, c.fields) for t in TABLES for c in t.children]
    with engine.connect() as conn:
        for table, fields in tables:
            names = [f for f in fields if not table.c[f].foreign_keys]
            for row in conn.execute(table.select()).mappings():
                for name in names:
                    if row[name] is not None:
                        yield table.name, row["id"], name, row[name]
        for row in conn.execute(text("SELECT id, content FROM statement_document")).mappings():
            yield "statement_document", row["id"], "content", row["content"]


def test_any_single_edit_of_any_compared_column_is_detected(books: Books, engine: Engine) -> None:
    """Every compared column of every money row (and its children, and the documents'
    bytes), edited alone in a transaction rolled back afterwards, fails verification."""
    cells = list(_cells(engine))
    assert len(cells) > 100
    missed = []
    for table, row_id, name, value in cells:
        with engine.connect() as conn, conn.begin() as transaction:
            conn.execute(
                text(f'UPDATE "{table}" SET "{name}" = :v WHERE id = :i'),
                {"v": _edited(value), "i": row_id},
            )
            with Session(bind=conn) as s:
                if audit.verify_money(s).ok:
                    missed.append((table, row_id, name))
            transaction.rollback()
    assert missed == []
    assert verified(engine).ok


def test_adopt_takes_unaudited_rows_on_the_record_once(books: Books, engine: Engine) -> None:
    sql(
        engine,
        "INSERT INTO payment_allocation (payment_id, invoice_id, amount_minor, allocated_on)"
        " VALUES (:p, :i, 5000, '2025-08-20')",
        p=books.payment_ids[1],
        i=books.invoice_id,
    )
    sql(engine, "UPDATE payment SET amount_minor = 1 WHERE id = :i", i=books.payment_ids[0])
    now = datetime(2025, 9, 1, tzinfo=UTC)
    with session_scope(engine) as s:
        assert audit.adopt(s, now=now)["payment_allocation"] == 1
    with session_scope(engine) as s:
        assert set(audit.adopt(s, now=now).values()) == {0}
    result = verified(engine)
    assert [(d.table, d.field) for d in result.disagreements] == [("payment", "amount_minor")]
    adopted = one(
        engine, "SELECT actor FROM audit_event WHERE action = 'payment_allocation.adopted'"
    )
    assert adopted == "system:adopt"
    with session_scope(engine) as s:
        assert audit.verify(s).ok


def _cli(settings: Settings, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATENTPOOL_DATABASE_URL": settings.database_url,
        "PATENTPOOL_DATA_DIR": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-m", "pool", "audit", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.timeout(240)
def test_cli_verify_exits_1_on_an_edited_payment_and_statement(
    books: Books, engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    good = _cli(settings, tmp_path, "verify")
    assert good.returncode == 0, good.stderr
    assert "money tables agree with the audit trail: 2 payment, 2 payment_allocation" in (
        good.stdout
    )
    payment = books.payment_ids[0]
    sql(engine, "UPDATE payment SET amount_minor = amount_minor + 100000 WHERE id = :i", i=payment)
    bad = _cli(settings, tmp_path, "verify")
    assert bad.returncode == 1
    assert "audit chain intact" in bad.stdout
    assert f"MONEY TABLE DISAGREES: payment {payment} amount_minor is 200000, audited 100000" in (
        bad.stderr
    )
    sql(engine, "UPDATE payment SET amount_minor = 100000 WHERE id = :i", i=payment)
    statement = one(engine, "SELECT min(id) FROM statement")
    sql(engine, "UPDATE statement SET gross_minor = gross_minor + 1 WHERE id = :i", i=statement)
    bad = _cli(settings, tmp_path, "verify")
    assert bad.returncode == 1
    assert f"MONEY TABLE DISAGREES: statement {statement} gross_minor is" in bad.stderr


@pytest.mark.timeout(240)
def test_cli_adopt_takes_an_unaudited_row_on_the_record(
    books: Books, engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    sql(
        engine,
        "INSERT INTO payment_allocation (payment_id, invoice_id, amount_minor, allocated_on)"
        " VALUES (:p, :i, 5000, '2025-08-20')",
        p=books.payment_ids[1],
        i=books.invoice_id,
    )
    assert _cli(settings, tmp_path, "verify").returncode == 1
    adopted = _cli(settings, tmp_path, "adopt")
    assert adopted.returncode == 0, adopted.stderr
    assert adopted.stdout.startswith(
        "adopted into the audit trail: 0 payment, 1 payment_allocation, 0 invoice,"
    )
    again = _cli(settings, tmp_path, "verify")
    assert again.returncode == 0, again.stderr


def test_issued_invoices_digest_their_lines_in_the_declared_columns() -> None:
    """`invoices.issue` digests the lines it inserts without reading them back: its columns
    (after the invoice id) must be the ones `verify_money` digests from the table."""
    from pool.services.audit.money_tables import BY_NAME
    from pool.services.billing.invoice_lines import COLUMNS

    lines = BY_NAME["invoice"].children[0]
    assert (lines.key, (*lines.fields, *lines.optional)) == ("lines_sha256", COLUMNS[1:])
