"""Money rows written before their writes were audited with their state, adopted into the trail.

A database upgraded to this version holds payments, allocations, invoices, runs and statements
whose events are missing (allocations and statements were not audited at all) or incomplete
(no children digests; settlement's status changes were not audited). `verify_money` reports
them as `unaudited`. `adopt` records one `<table>.adopted` event per money row whose audited
state is missing or lacks a compared field, carrying the row's state as it stands, as the
system actor `system:adopt`; rows whose audited state is complete are left alone, so running it
again records nothing, and a row that disagrees with a complete audited state is never
"fixed" by adoption: that disagreement stays for `verify` to report.

Adopting trusts the tables as they stand. Run it once, right after upgrading and after
`patentpool audit verify` found the chain intact; the adopted events are in the trail
(action `*.adopted`, actor `system:adopt`) for an auditor to see what was taken on trust and
when. Run later, it adopts only rows written around the services since: they show in `verify`
until someone chooses to adopt them, and the adoption itself is then on the record."""

from datetime import datetime

from sqlmodel import Session, col, select

from pool.services.audit.money import audited_states
from pool.services.audit.money_tables import TABLES, MoneyTable, state
from pool.services.audit.trail import Actor, EventSpec, record_many

ADOPTER = Actor.system("adopt")


def _rows(session: Session, spec: MoneyTable, batch: int = 1000) -> list[object]:
    ident = col(spec.model.id)  # type: ignore[attr-defined]
    rows: list[object] = []
    last = 0
    while True:
        found = session.exec(
            select(spec.model).where(ident > last).order_by(ident).limit(batch)
        ).all()
        if not found:
            return rows
        rows.extend(found)
        last = found[-1].id  # type: ignore[attr-defined]


def adopt(session: Session, *, now: datetime, actor: Actor = ADOPTER) -> dict[str, int]:
    """Record an `.adopted` event for every money row without a complete audited state;
    return how many per table (zero everywhere when there is nothing to adopt)."""
    states, _ = audited_states(session)
    counts: dict[str, int] = {}
    for spec in TABLES:
        audited = states[spec.name]
        events: list[EventSpec] = []
        for row in _rows(session, spec):
            row_id = row.id  # type: ignore[attr-defined]
            known = audited.get(row_id, {})
            if all(key in known for key in spec.keys):
                continue
            after = state(session, row)  # type: ignore[arg-type]
            pool_id = getattr(row, "pool_id", None)
            events.append((f"{spec.name}.adopted", spec.name, row_id, None, after, pool_id))
        record_many(session, events, actor=actor, now=now)
        counts[spec.name] = len(events)
    return counts
