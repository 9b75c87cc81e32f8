"""The money tables, declared once for the audit trail: each table's compared fields, the
actions whose events carry its state, and its children (compared by digest); and the state an
event that writes a money row carries (`state`). `money` checks the tables against it."""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table
from sqlalchemy import select as core_select
from sqlmodel import Session, SQLModel

from pool.models.billing import Invoice, InvoiceInstalment, InvoiceLine, Payment, PaymentAllocation
from pool.models.deal import DealKind, DealReceipt, PatentDeal, PatentDealPatent
from pool.models.distribution import (
    DistributionRun,
    RunContributor,
    RunLine,
    RunPatentLine,
    RunUsagePeriod,
    Statement,
    StatementDocument,
)
from pool.models.payout import PayoutBatch, PayoutLine
from pool.services.audit.snapshot import json_safe, snapshot

DOCUMENTS = "documents_sha256"


@dataclass(frozen=True)
class Children:
    """Rows owned by a money row, audited as one digest in the parent's events under `key`.

    `optional` fields come after `fields` and count only when set: a column added later
    (an invoice line's `facts`) leaves the digests of the rows written before it as they
    were audited."""

    key: str
    model: type[SQLModel]
    parent: str  # the child's column holding the parent's id
    fields: tuple[str, ...]
    order: tuple[str, ...]
    optional: tuple[str, ...] = ()
    later: bool = False  # added after rows were audited: an event without it means no children

    @property
    def table(self) -> Table:
        return self.model.__table__  # type: ignore[attr-defined, no-any-return]

    def values(self, row: Sequence[Any]) -> tuple[Any, ...]:
        """What a row of `child_query` (parent id first) contributes to the digest."""
        cut = 1 + len(self.fields)
        return (*row[1:cut], *(value for value in row[cut:] if value is not None))


@dataclass(frozen=True)
class MoneyTable:
    """A money table: its rows' entity type in the trail (= the table's name), the fields
    compared, the actions whose `after` carries (part of) a row's state, and its children."""

    model: type[SQLModel]
    fields: tuple[str, ...]
    actions: frozenset[str]
    children: tuple[Children, ...] = ()
    documents: bool = False  # a statement: the SHA-256 of each stored document, by format
    # columns added after rows were audited: a row audited before, and still empty there,
    # has nothing to compare (an invoice's `patent_id`, migration 0025)
    later_fields: tuple[str, ...] = ()

    @property
    def table(self) -> Table:
        return self.model.__table__  # type: ignore[attr-defined, no-any-return]

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def later_keys(self) -> frozenset[str]:
        """Child sets added later (`Children.later`): a row audited before them has none."""
        return frozenset(c.key for c in self.children if c.later)

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
            "status patent_id"
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
                optional=("facts",),
            ),
            Children(
                "instalments_sha256",
                InvoiceInstalment,
                "invoice_id",
                ("due_on", "amount_minor"),
                ("id",),
            ),
        ),
        later_fields=("patent_id",),
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
            Children(
                "patent_lines_sha256",
                RunPatentLine,
                "run_id",
                _names(
                    "contributor_organisation_id usage_start usage_end country patent_id "
                    "grade tier days_in_force factor weight amount_minor"
                ),
                ("contributor_organisation_id", "usage_start", "usage_end", "country", "id"),
                later=True,
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
    MoneyTable(
        PayoutBatch,
        _names("pool_id message_id currency status execution_date total_minor line_count sent_on"),
        _actions("payout_batch", "created", "sent"),
    ),
    MoneyTable(
        PayoutLine,
        _names(
            "batch_id pool_id contributor_organisation_id end_to_end_id amount_minor status "
            "account_holder scheme iban bic account_number bank_name cnaps_code paid_on "
            "bank_reference returned_on return_reason"
        ),
        _actions("payout_line", "created", "paid", "returned"),
    ),
    # The deal register (issue 18): a deal's contract amount, its dates and its patents, and
    # the money received under it, which the programme's yearly figures report.
    MoneyTable(
        PatentDeal,
        _names(
            "pool_id kind supplier_organisation_id counterparty_organisation_id signed_on "
            "effective_on contract_amount_minor consent_on ended_on"
        ),
        frozenset(f"deal.{kind}_recorded" for kind in DealKind)
        | {"deal.ended", "deal.pledge_released", "deal.pledgee_consented", "patent_deal.adopted"},
        (Children("patents_sha256", PatentDealPatent, "deal_id", ("patent_id",), ("patent_id",)),),
    ),
    MoneyTable(
        DealReceipt,
        _names("deal_id received_on amount_minor reference"),
        frozenset({"deal.receipt_recorded", "deal_receipt.adopted"}),
    ),
)
BY_MODEL: dict[type[SQLModel], MoneyTable] = {t.model: t for t in TABLES}
BY_NAME: dict[str, MoneyTable] = {t.name: t for t in TABLES}
STATE_ACTIONS = frozenset(a for t in TABLES for a in t.actions)


# ---------------------------------------------------------------- the state an event carries


def digest(rows: Sequence[Sequence[Any]]) -> str:
    """SHA-256 of the rows as compact JSON (dates as ISO strings). The C encoder does the
    work; only dates and decimals call back into Python (a value at a time in Python took
    seconds on 100,000 invoice lines)."""
    canonical = json.dumps(rows, separators=(",", ":"), default=json_safe)
    return hashlib.sha256(canonical.encode()).hexdigest()


def child_query(children: Children) -> Any:
    t = children.table
    columns = (*children.fields, *children.optional)
    return core_select(t.c[children.parent], *(t.c[f] for f in columns)).order_by(
        t.c[children.parent], *(t.c[o] for o in children.order)
    )


def documents_query() -> Any:
    t: Table = StatementDocument.__table__  # type: ignore[attr-defined]
    return core_select(t.c.statement_id, t.c.id, t.c.format, t.c.content).order_by(
        t.c.statement_id, t.c.format
    )


def children_state(
    session: Session, row: SQLModel, known: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The digests of a money row's children as they stand in this transaction; `known`
    gives digests the caller computed from the very rows it just inserted (`digest` of the
    compared fields in order), sparing a read of 100,000 invoice lines."""
    spec = BY_MODEL[type(row)]
    session.flush()
    out: dict[str, Any] = dict(known or {})
    row_id = row.id  # type: ignore[attr-defined]
    for children in spec.children:
        if children.key in out:
            continue
        query = child_query(children).where(children.table.c[children.parent] == row_id)
        out[children.key] = digest([children.values(r) for r in session.execute(query)])
    if spec.documents:
        docs = documents_query().where(StatementDocument.__table__.c.statement_id == row_id)  # type: ignore[attr-defined]
        out[DOCUMENTS] = {
            fmt: hashlib.sha256(content).hexdigest() for _, _, fmt, content in session.execute(docs)
        }
    return out


def state(
    session: Session, row: SQLModel, known: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """What an event that writes a money row carries as `after`: every column (as `snapshot`)
    and its children's digests (see `children_state`)."""
    return {**(snapshot(row) or {}), **children_state(session, row, known)}
