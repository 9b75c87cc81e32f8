"""The money tables checked against the audit trail: what each money row should hold, derived
from its audited events, compared with what the table holds.

Why this catches a direct edit. Every write of a money row (a payment, an allocation of a
payment to an invoice, an invoice with its lines and instalments, a distribution run with its
usage periods, lines and contributors, a statement with its stored documents, a payout batch
and its lines, a deal with its patents and the money received under it) appends an event
whose `after` carries the row's state (`money_tables.state`) in the same transaction. The hash
chain makes those events tamper-evident (`trail.verify`, and whatever anchors the chain's head
outside the database); this module checks the tables against the events, so changing money
unnoticed takes changing both, and the second change is the chain's to catch. The tables, their
compared fields and the actions that carry their state are declared once in `money_tables`.

`verify_money` replays the state-carrying events in id order, keeps each row's expected
fields (later events override earlier ones, field by field, so a status change need not
repeat the lines' digest), then reads every money table once, in id order, and reports:

* a field whose stored value differs from the audited one (the event it came from is named);
* a row with no audited state, or lacking an audited field (written around the services, or
  before they audited it: see `adoption`);
* an audited row that is gone (deleted around the services).

Children are compared by digest (`money_tables.Children`): the SHA-256 of their compared fields
in a fixed order, carried by the parent's event. A changed invoice line or run contributor is
named by its table and its parent (the digest cannot say which child). A statement's documents
are compared one by one: the SHA-256 of each stored document's bytes (recomputed from
`content`, not read from its `sha256` column) against the one audited at issue.

What it does not cover: the ledger (journal entries and postings: each entry balances, but an
entry edited in place, together with its postings, is not detected here), payment notices,
usage reports and their lines, timestamps and other descriptive columns not listed in
`TABLES` (e.g. `created_at`, `computations`), and anything an attacker writes both to a table
and, consistently, to the trail (the chain and its checkpoints catch the latter)."""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from pool.models.audit import AuditEvent
from pool.services.audit.money_tables import (
    BY_NAME,
    DOCUMENTS,
    STATE_ACTIONS,
    TABLES,
    MoneyTable,
    child_query,
    digest,
    documents_query,
)
from pool.services.audit.snapshot import json_safe

__all__ = ["TABLES", "MoneyDisagreement", "MoneyVerification", "audited_states", "verify_money"]


@dataclass(frozen=True)
class MoneyDisagreement:
    """One place where a money table and the trail differ. `problem`: `differs` (stored and
    audited values), `unaudited` (no audited value for the field, or no event at all: `field`
    None) or `gone` (audited, no longer stored)."""

    table: str
    row_id: int
    problem: str
    field: str | None = None
    audited: Any = None
    stored: Any = None
    event_id: int | None = None

    def describe(self) -> str:
        where = f"{self.table} {self.row_id}"
        if self.problem == "gone":
            return f"{where} is audited (event {self.event_id}) but no longer stored"
        if self.problem == "unaudited" and self.field is None:
            return f"{where} has no audited event (written around the services?)"
        if self.problem == "unaudited":
            return f"{where} {self.field} was never audited (event {self.event_id} and earlier)"
        return (
            f"{where} {self.field} is {_show(self.stored)}, audited {_show(self.audited)}"
            f" (event {self.event_id})"
        )


def _show(value: Any) -> str:
    if isinstance(value, str) and len(value) == 64:
        return value[:12] + "…"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass
class MoneyVerification:
    ok: bool = True
    rows_checked: dict[str, int] = field(default_factory=dict)
    events_replayed: int = 0
    disagreements: list[MoneyDisagreement] = field(default_factory=list)  # the first few
    disagreement_count: int = 0

    @property
    def first(self) -> MoneyDisagreement | None:
        return self.disagreements[0] if self.disagreements else None

    def add(self, found: MoneyDisagreement, keep: int = 20) -> None:
        self.ok = False
        self.disagreement_count += 1
        if len(self.disagreements) < keep:
            self.disagreements.append(found)


Audited = dict[str, tuple[Any, int]]  # field -> (value, id of the event that set it)


def audited_states(
    session: Session, batch: int = 2000
) -> tuple[dict[str, dict[int, Audited]], int]:
    """Replay the state-carrying events in id order, in batches: per table and row id, each
    field's latest audited value and the event it came from. Returns them and the count."""
    states: dict[str, dict[int, Audited]] = {t.name: {} for t in TABLES}
    last, replayed = 0, 0
    while True:
        rows = session.exec(
            select(AuditEvent.id, AuditEvent.entity_type, AuditEvent.entity_id, AuditEvent.after)
            .where(col(AuditEvent.action).in_(STATE_ACTIONS), col(AuditEvent.id) > last)
            .order_by(col(AuditEvent.id))
            .limit(batch)
        ).all()
        if not rows:
            return states, replayed
        for event_id, entity_type, entity_id, after in rows:
            spec = BY_NAME.get(entity_type)
            if spec is None or not after or not entity_id.isdigit():
                continue
            row = states[spec.name].setdefault(int(entity_id), {})
            for key in spec.keys:
                if key in after:
                    row[key] = (after[key], event_id or 0)
        replayed += len(rows)
        last = rows[-1][0] or last


def _stream(session: Session, query: Any, chunk: int) -> Iterator[Any]:
    yield from session.execute(query.execution_options(yield_per=chunk))


def stored_children(session: Session, spec: MoneyTable) -> dict[str, dict[int, Any]]:
    """Each child set's digest per parent id, and a statement's documents: one streamed query
    per child table."""
    out: dict[str, dict[int, Any]] = {}
    for children in spec.children:
        grouped: dict[int, list[Any]] = {}
        for row in _stream(session, child_query(children), 5000):
            grouped.setdefault(row[0], []).append(children.values(row))
        out[children.key] = {parent: digest(rows) for parent, rows in grouped.items()}
    if spec.documents:
        documents: dict[int, dict[str, tuple[int, str]]] = {}
        for statement_id, doc_id, fmt, content in _stream(session, documents_query(), 50):
            documents.setdefault(statement_id, {})[fmt] = (
                doc_id,
                hashlib.sha256(content).hexdigest(),
            )
        out[DOCUMENTS] = documents
    return out


def _compare_row(
    spec: MoneyTable,
    row_id: int,
    stored: dict[str, Any],
    audited: Audited | None,
    result: MoneyVerification,
) -> None:
    if not audited:
        result.add(MoneyDisagreement(spec.name, row_id, "unaudited"))
        return
    last_event = max(event for _, event in audited.values())
    for key in spec.keys:
        if key not in audited and key in spec.later_keys and stored[key] == digest([]):
            continue  # audited before these children existed, and it has none
        if key not in audited and key in spec.later_fields and stored[key] is None:
            continue  # audited before this column existed, and it is empty
        if key not in audited:
            result.add(MoneyDisagreement(spec.name, row_id, "unaudited", key, event_id=last_event))
            return
        value, event_id = audited[key]
        if key == DOCUMENTS:
            if _compare_documents(row_id, value, stored[key], event_id, result):
                return
        elif value != stored[key]:
            result.add(
                MoneyDisagreement(spec.name, row_id, "differs", key, value, stored[key], event_id)
            )
            return


def _compare_documents(
    statement_id: int,
    audited: dict[str, str],
    stored: dict[str, tuple[int, str]],
    event_id: int,
    result: MoneyVerification,
) -> bool:
    """Each stored document's bytes against the digest audited at issue, by format."""
    for fmt in sorted(set(audited) | set(stored)):
        doc_id, digest = stored.get(fmt, (None, None))
        if doc_id is None:
            result.add(
                MoneyDisagreement(
                    "statement",
                    statement_id,
                    "differs",
                    f"{fmt} document sha256",
                    audited[fmt],
                    None,
                    event_id,
                )
            )
            return True
        if audited.get(fmt) != digest:
            result.add(
                MoneyDisagreement(
                    "statement_document",
                    doc_id,
                    "differs",
                    f"sha256 of {fmt} content",
                    audited.get(fmt),
                    digest,
                    event_id,
                )
            )
            return True
    return False


def verify_table(
    session: Session, spec: MoneyTable, audited: dict[int, Audited], result: MoneyVerification
) -> None:
    """Every row of one money table, in id order, against its audited state; then the
    audited rows that are gone."""
    children = stored_children(session, spec)
    t = spec.table
    query = core_select(t.c.id, *(t.c[f] for f in spec.fields)).order_by(t.c.id)
    checked = 0
    for row in _stream(session, query, 5000):
        row_id = row[0]
        stored = {f: json_safe(v) for f, v in zip(spec.fields, row[1:], strict=True)}
        for key, by_parent in children.items():
            stored[key] = by_parent.get(row_id, {} if key == DOCUMENTS else digest([]))
        _compare_row(spec, row_id, stored, audited.pop(row_id, None), result)
        checked += 1
    for row_id in sorted(audited):
        last_event = max(event for _, event in audited[row_id].values())
        result.add(MoneyDisagreement(spec.name, row_id, "gone", event_id=last_event))
    result.rows_checked[spec.name] = checked


def verify_money(session: Session) -> MoneyVerification:
    """Re-derive every money row from the trail and compare (see the module docstring).
    Disagreements are listed table by table (payments, allocations, invoices, runs,
    statements), rows in id order; `first` names the first."""
    states, replayed = audited_states(session)
    result = MoneyVerification(events_replayed=replayed)
    for spec in TABLES:
        verify_table(session, spec, states[spec.name], result)
    return result
