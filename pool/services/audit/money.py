"""The money tables checked against the audit trail: what each money row should hold, derived
from its audited events, compared with what the table holds.

Why this catches a direct edit. Every write of a money row (a payment, an allocation of a
payment to an invoice, an invoice with its lines and instalments, a distribution run with its
usage periods, lines and contributors, a statement with its stored documents) appends an event
whose `after` carries the row's state (`state`) in the same transaction. The hash chain makes
those events tamper-evident (`trail.verify`; anchored by the chain's checkpoints); this module
makes the tables evident against the events. `verify_money` replays the state-carrying events
in id order, keeps each row's expected fields (later events override earlier ones, field by
field, so a status change need not repeat the lines' digest), then reads every money table
once, in id order, and reports:

* a field whose stored value differs from the audited one (the event it came from is named);
* a row with no audited state, or lacking an audited field (written around the services, or
  before they audited it: see `adoption`);
* an audited row that is gone (deleted around the services).

Children are compared by digest (`Children`): the SHA-256 of their compared fields in a fixed
order, carried by the parent's event. A changed invoice line or run contributor is named by
its table and its parent (the digest cannot say which child). A statement's documents are
compared one by one: the SHA-256 of each stored document's bytes (recomputed from `content`,
not read from its `sha256` column) against the one audited at issue.

What it does not cover: the ledger (journal entries and postings: each entry balances, but an
entry edited in place, together with its postings, is not detected here), payment notices,
usage reports and their lines, timestamps and other descriptive columns not listed in
`TABLES` (e.g. `created_at`, `computations`), and anything an attacker writes both to a table
and, consistently, to the trail (the chain and its checkpoints catch the latter)."""

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table
from sqlalchemy import select as core_select
from sqlmodel import Session, SQLModel, col, select

from pool.models.audit import AuditEvent
from pool.models.billing import Invoice, InvoiceInstalment, InvoiceLine, Payment, PaymentAllocation
from pool.models.distribution import (
    DistributionRun,
    RunContributor,
    RunLine,
    RunUsagePeriod,
    Statement,
    StatementDocument,
)
from pool.services.audit.snapshot import json_safe, snapshot

DOCUMENTS = "documents_sha256"


@dataclass(frozen=True)
class Children:
    """Rows owned by a money row, audited as one digest in the parent's events under `key`."""

    key: str
    model: type[SQLModel]
    parent: str  # the child's column holding the parent's id
    fields: tuple[str, ...]
    order: tuple[str, ...]

    @property
    def table(self) -> Table:
        return self.model.__table__  # type: ignore[attr-defined, no-any-return]


@dataclass(frozen=True)
class MoneyTable:
    """A money table: its rows' entity type in the trail (= the table's name), the fields
    compared, the actions whose `after` carries (part of) a row's state, and its children."""

    model: type[SQLModel]
    fields: tuple[str, ...]
    actions: frozenset[str]
    children: tuple[Children, ...] = ()
    documents: bool = False  # a statement: the SHA-256 of each stored document, by format

    @property
    def table(self) -> Table:
        return self.model.__table__  # type: ignore[attr-defined, no-any-return]

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def keys(self) -> tuple[str, ...]:
        extra = (DOCUMENTS,) if self.documents else ()
        return (*self.fields, *(c.key for c in self.children), *extra)


def _names(names: str) -> tuple[str, ...]:
    return tuple(names.split())


def _actions(entity: str, *verbs: str) -> frozenset[str]:
    return frozenset(f"{entity}.{verb}" for verb in (*verbs, "adopted"))


TABLES: tuple[MoneyTable, ...] = (
    MoneyTable(
        Payment,
        _names("pool_id licensee_organisation_id reference currency amount_minor received_on"),
        _actions("payment", "recorded"),
    ),
    MoneyTable(
        PaymentAllocation,
        ("payment_id", "invoice_id", "amount_minor", "allocated_on"),
        _actions("payment_allocation", "made", "released"),
    ),
    MoneyTable(
        Invoice,
        _names(
            "pool_id agreement_id licensee_organisation_id report_id kind fee_kind "
            "number currency usage_start usage_end issued_on due_on total_minor "
            "status"
        ),
        _actions(
            "invoice", "issued", "paid", "reopened", "cancelled", "written_off", "threshold_reached"
        ),
        (
            Children(
                "lines_sha256",
                InvoiceLine,
                "invoice_id",
                _names(
                    "line_no category country_of_manufacture country_of_sale units rate "
                    "amount_minor explanation"
                ),
                ("line_no", "id"),
            ),
            Children(
                "instalments_sha256",
                InvoiceInstalment,
                "invoice_id",
                ("due_on", "amount_minor"),
                ("id",),
            ),
        ),
    ),
    MoneyTable(
        DistributionRun,
        _names(
            "pool_id period_start period_end currency status input_sha256 "
            "received_minor admin_fee_minor distributable_minor withholding_minor "
            "net_payable_minor"
        ),
        _actions("distribution_run", "computed", "approved"),
        (
            Children(
                "usage_periods_sha256",
                RunUsagePeriod,
                "run_id",
                _names(
                    "usage_start usage_end received_cumulative_minor received_minor "
                    "admin_fee_cumulative_minor admin_fee_minor first_run_id"
                ),
                ("usage_start", "usage_end"),
            ),
            Children(
                "lines_sha256",
                RunLine,
                "run_id",
                _names(
                    "contributor_organisation_id usage_start usage_end country "
                    "bucket_distributable_cumulative_minor cumulative_minor amount_minor"
                ),
                ("contributor_organisation_id", "usage_start", "usage_end", "country", "id"),
            ),
            Children(
                "contributors_sha256",
                RunContributor,
                "run_id",
                _names(
                    "contributor_organisation_id gross_minor adjustments_minor "
                    "withholding_rate withholding_minor net_payable_minor"
                ),
                ("contributor_organisation_id",),
            ),
        ),
    ),
    MoneyTable(
        Statement,
        _names(
            "pool_id run_id contributor_organisation_id period_start period_end "
            "serial currency gross_minor adjustments_minor withholding_minor "
            "net_payable_minor"
        ),
        _actions("statement", "issued"),
        documents=True,
    ),
)
BY_MODEL: dict[type[SQLModel], MoneyTable] = {t.model: t for t in TABLES}
BY_NAME: dict[str, MoneyTable] = {t.name: t for t in TABLES}
STATE_ACTIONS = frozenset(a for t in TABLES for a in t.actions)


# ---------------------------------------------------------------- the state an event carries


def _digest(rows: Sequence[Sequence[Any]]) -> str:
    canonical = json.dumps([[json_safe(v) for v in row] for row in rows], separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _child_query(children: Children) -> Any:
    t = children.table
    return core_select(t.c[children.parent], *(t.c[f] for f in children.fields)).order_by(
        t.c[children.parent], *(t.c[o] for o in children.order)
    )


def _documents_query() -> Any:
    t: Table = StatementDocument.__table__  # type: ignore[attr-defined]
    return core_select(t.c.statement_id, t.c.id, t.c.format, t.c.content).order_by(
        t.c.statement_id, t.c.format
    )


def children_state(session: Session, row: SQLModel) -> dict[str, Any]:
    """The digests of a money row's children as they stand in this transaction."""
    spec = BY_MODEL[type(row)]
    session.flush()
    out: dict[str, Any] = {}
    row_id = row.id  # type: ignore[attr-defined]
    for children in spec.children:
        query = _child_query(children).where(children.table.c[children.parent] == row_id)
        out[children.key] = _digest([r[1:] for r in session.execute(query)])
    if spec.documents:
        docs = _documents_query().where(StatementDocument.__table__.c.statement_id == row_id)  # type: ignore[attr-defined]
        out[DOCUMENTS] = {
            fmt: hashlib.sha256(content).hexdigest() for _, _, fmt, content in session.execute(docs)
        }
    return out


def state(session: Session, row: SQLModel) -> dict[str, Any]:
    """What an event that writes a money row carries as `after`: every column (as `snapshot`)
    and its children's digests."""
    return {**(snapshot(row) or {}), **children_state(session, row)}


# ---------------------------------------------------------------- verification


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
        for row in _stream(session, _child_query(children), 5000):
            grouped.setdefault(row[0], []).append(tuple(row[1:]))
        out[children.key] = {parent: _digest(rows) for parent, rows in grouped.items()}
    if spec.documents:
        documents: dict[int, dict[str, tuple[int, str]]] = {}
        for statement_id, doc_id, fmt, content in _stream(session, _documents_query(), 50):
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
            stored[key] = by_parent.get(row_id, {} if key == DOCUMENTS else _digest([]))
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
