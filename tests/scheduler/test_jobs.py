"""Each job on a real database, run twice: the second run changes nothing.

The clock reads 2 June 2025 (tests.pool.reporting.kit.NOW); amounts are US cents."""

from datetime import date
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from pool.db import session_scope
from pool.models.audit import AuditEvent
from pool.models.billing import Invoice
from pool.models.outbox import OutboxMessage
from pool.models.patent import Patent, PatentInclusion
from scheduler import jobs
from tests.pool.conftest import World
from tests.pool.reporting.kit import NOW, deal

FEES = {
    "terms_version": "fees",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [],
    "entry_fee_minor": 5000_00,
    "annual_fee_minor": 1200_00,
}
PLAIN = {"terms_version": "plain", "currency": "USD", "minor_unit_exponent": 2, "categories": []}


def patent(engine: Engine, world: World, number: str, expiry: date, status: str) -> int:
    with session_scope(engine) as s:
        row = Patent(
            pool_id=world.pool_id,
            owner_organisation_id=world.contributor.organisation_id or 0,
            number=number,
            number_key=number,
            jurisdiction="US",
            country="US",
            title="Codec",
            filing_date=date(2005, 1, 1),
            grant_date=date(2008, 1, 1),
            expiry_date=expiry,
            status=status,
            admitted_on=date(2024, 1, 1),
            submitted_at=NOW,
            updated_at=NOW,
        )
        s.add(row)
        s.flush()
        s.add(
            PatentInclusion(
                patent_id=row.id or 0,
                pool_id=world.pool_id,
                country="US",
                start_on=date(2024, 1, 1),
                end_on=None,
            )
        )
        return row.id or 0


def patents(engine: Engine) -> list[tuple[str, str, date | None, date | None]]:
    with Session(engine) as s:
        rows = s.exec(
            select(Patent, PatentInclusion)
            .where(PatentInclusion.patent_id == Patent.id)
            .order_by(col(Patent.id))
        ).all()
        return [(p.number, p.status, p.ended_on, i.end_on) for p, i in rows]


def count(engine: Engine, what: Any) -> int:
    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(what)).one())


def outbox(engine: Engine) -> list[tuple[str, int, str]]:
    with Session(engine) as s:
        rows = s.exec(select(OutboxMessage).order_by(col(OutboxMessage.dedupe_key))).all()
        return [(m.kind, m.recipient_organisation_id, m.dedupe_key) for m in rows]


def test_patent_upkeep_expires_patents_on_their_expiry_date_once(
    engine: Engine, world: World
) -> None:
    patent(engine, world, "US1000001", date(2025, 3, 1), "accepted")
    patent(engine, world, "US1000002", date(2025, 6, 2), "accepted")  # expires tomorrow
    patent(engine, world, "US1000003", date(2025, 1, 1), "rejected")  # never in the pool
    first = jobs.patent_upkeep(engine, pool_id=None, as_of=date(2025, 6, 1), now=NOW)
    assert first.lines == [f"pool {world.pool_id}: 1 patents expired US1000001 (2025-03-01)"]
    #        number        status       ended on          inclusion ends
    expected = [
        ("US1000001", "expired", date(2025, 3, 1), date(2025, 3, 1)),
        ("US1000002", "accepted", None, None),
        ("US1000003", "rejected", None, None),
    ]
    assert patents(engine) == expected
    events = count(engine, AuditEvent)
    with Session(engine) as s:
        actors = s.exec(select(AuditEvent.actor).where(AuditEvent.action == "patent.expired"))
        assert list(actors) == ["system:scheduler"]
    again = jobs.patent_upkeep(engine, pool_id=world.pool_id, as_of=date(2025, 6, 1), now=NOW)
    assert again.lines == [f"pool {world.pool_id}: 0 patents expired"]
    assert (patents(engine), count(engine, AuditEvent)) == (expected, events)


def test_fees_and_dues_invoice_fixed_fees_and_recognise_them_once(
    engine: Engine, world: World
) -> None:
    deal(engine, world, royalty=FEES, start=date(2024, 3, 1), end=date(2027, 3, 1))
    first = jobs.fees_and_dues(engine, pool_id=None, as_of=date(2025, 6, 2), now=NOW)
    with Session(engine) as s:
        made = s.exec(select(Invoice).order_by(col(Invoice.id))).all()
        assert [(i.fee_kind, i.usage_start, i.due_on, i.total_minor) for i in made] == [
            ("entry_fee", date(2024, 3, 1), date(2024, 3, 31), 5000_00),
            ("annual_fee", date(2024, 3, 1), date(2024, 3, 31), 1200_00),
            ("annual_fee", date(2025, 3, 1), date(2025, 3, 31), 1200_00),
        ]
    assert first.lines[0].endswith("; 3 deferred parts fell due")
    state = (count(engine, Invoice), count(engine, AuditEvent))
    again = jobs.fees_and_dues(engine, pool_id=world.pool_id, as_of=date(2025, 6, 2), now=NOW)
    assert again.lines == [f"pool {world.pool_id}: 0 fixed-fee invoices; 0 deferred parts fell due"]
    assert (count(engine, Invoice), count(engine, AuditEvent)) == state


def test_overdue_reminders_are_written_once_per_overdue_part(engine: Engine, world: World) -> None:
    deal(engine, world, royalty=FEES, start=date(2024, 3, 1), end=date(2027, 3, 1))
    jobs.fees_and_dues(engine, pool_id=None, as_of=date(2025, 6, 2), now=NOW)
    first = jobs.overdue_reminders(engine, pool_id=None, as_of=date(2025, 6, 2), now=NOW)
    licensee = world.licensee.organisation_id or 0
    with Session(engine) as s:
        ids = s.exec(select(Invoice.id).order_by(col(Invoice.id))).all()
    expected = sorted(
        [
            ("overdue_invoice", licensee, f"overdue_invoice:{ids[0]}:2024-03-31"),
            ("overdue_invoice", licensee, f"overdue_invoice:{ids[1]}:2024-03-31"),
            ("overdue_invoice", licensee, f"overdue_invoice:{ids[2]}:2025-03-31"),
        ],
        key=lambda row: row[2],
    )
    assert outbox(engine) == expected
    assert first.lines[0] == f"pool {world.pool_id}: 3 reminders written"
    again = jobs.overdue_reminders(engine, pool_id=None, as_of=date(2025, 6, 3), now=NOW)
    assert again.lines == [f"pool {world.pool_id}: 0 reminders written"]
    assert outbox(engine) == expected
    with Session(engine) as s:
        assert s.exec(select(OutboxMessage.sent_at)).all() == [None, None, None]


def test_reporting_reminders_before_the_deadline_and_when_missing(
    engine: Engine, world: World
) -> None:
    """Quarterly pool; Q1 2025 ends 1 April, its report is due 1 May (30 days later)."""
    d = deal(engine, world, royalty=PLAIN, start=date(2025, 1, 1))
    deal(engine, world, royalty=PLAIN, caller="other_licensee", start=date(2025, 4, 1))
    licensee = world.licensee.organisation_id or 0
    early = jobs.reporting_reminders(engine, pool_id=None, as_of=date(2025, 4, 10), now=NOW)
    assert early.lines == [f"pool {world.pool_id}: 0 reminders written"]  # 21 days to go
    for as_of in (date(2025, 4, 20), date(2025, 4, 21), date(2025, 5, 2), date(2025, 5, 3)):
        jobs.reporting_reminders(engine, pool_id=world.pool_id, as_of=as_of, now=NOW)
    assert outbox(engine) == [
        ("report_due_soon", licensee, f"report_due_soon:{d.agreement_id}:2025-01-01"),
        ("report_missing", licensee, f"report_missing:{d.agreement_id}:2025-01-01"),
    ]
    with Session(engine) as s:
        subjects = s.exec(select(OutboxMessage.subject).order_by(col(OutboxMessage.id))).all()
    assert subjects == [
        "Usage report for Jan 1, 2025 – Mar 31, 2025 is due on May 1, 2025",
        "Usage report for Jan 1, 2025 – Mar 31, 2025 was due on May 1, 2025",
    ]
