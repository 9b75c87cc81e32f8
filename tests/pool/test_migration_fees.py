"""Migration 0025 makes an invoice's agreement optional (evaluation fees bill a contributor
for a patent). On SQLite that rebuilds `invoice`, which lines, parts and payment allocations
refer to: a populated database upgrades with every row and reference kept, on both
databases, and the references are enforced again afterwards."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, MetaData, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from pool.migrate import upgrade
from pool.models.billing import Invoice, InvoiceLine, Payment, PaymentAllocation
from pool.models.licensing import LicenceAgreement, LicenceTerms
from pool.models.organisation import Organisation
from pool.models.pool import Pool
from tests.pool.test_migration_grades import _insert
from tests.pool.test_migrations import empty_engine  # noqa: F401  (the fixture)

NOW = datetime(2025, 1, 1, tzinfo=UTC)
DAY = date(2025, 1, 1)


def _populate(engine: Engine) -> dict[str, int]:
    """One licensee's invoice with a line, and a payment settling it, as the tables stand
    at 0023."""
    at_0023 = MetaData()
    names = ("organisation", "pool", "licence_terms", "licence_agreement", "invoice")
    at_0023.reflect(engine, only=(*names, "invoice_line", "payment", "payment_allocation"))
    t = at_0023.tables
    with engine.begin() as conn:
        org = _insert(
            conn,
            t["organisation"],
            Organisation(name="Maker", kind="company", country="CN", created_at=NOW),
        )
        pool = _insert(
            conn,
            t["pool"],
            Pool(
                name="P",
                technology_field="other",
                currency="CNY",
                admin_fee_rate="0.1",
                allocation_method="patent_count",
                reporting_cadence="quarterly",
                created_at=NOW,
            ),
        )
        terms = _insert(
            conn,
            t["licence_terms"],
            LicenceTerms(
                pool_id=pool,
                version="1",
                royalty_terms={},
                payment_terms={},
                sha256="0" * 64,
                created_at=NOW,
            ),
        )
        agreement = _insert(
            conn,
            t["licence_agreement"],
            LicenceAgreement(
                pool_id=pool,
                licensee_organisation_id=org,
                terms_id=terms,
                licence_type="open",
                signed_on=DAY,
                start_on=DAY,
                end_on=date(2026, 1, 1),
                state="active",
                state_changed_on=DAY,
                created_at=NOW,
            ),
        )
        invoice = _insert(
            conn,
            t["invoice"],
            Invoice(
                pool_id=pool,
                agreement_id=agreement,
                licensee_organisation_id=org,
                kind="fixed_fee",
                fee_kind="entry_fee",
                number="INV-1",
                currency="CNY",
                usage_start=DAY,
                usage_end=date(2026, 1, 1),
                issued_on=DAY,
                due_on=DAY,
                total_minor=10_000,
                status="paid",
                created_at=NOW,
            ),
        )
        _insert(
            conn,
            t["invoice_line"],
            InvoiceLine(invoice_id=invoice, line_no=1, category="entry_fee", amount_minor=10_000),
        )
        payment = _insert(
            conn,
            t["payment"],
            Payment(
                pool_id=pool,
                licensee_organisation_id=org,
                reference="R1",
                currency="CNY",
                amount_minor=10_000,
                received_on=DAY,
                created_at=NOW,
            ),
        )
        _insert(
            conn,
            t["payment_allocation"],
            PaymentAllocation(
                payment_id=payment, invoice_id=invoice, amount_minor=10_000, allocated_on=DAY
            ),
        )
    return {"pool": pool, "org": org, "agreement": agreement, "invoice": invoice}


def test_a_populated_database_upgrades_with_its_invoices_and_references_kept(
    empty_engine: Engine,  # noqa: F811
) -> None:
    upgrade(empty_engine, "0023")
    ids = _populate(empty_engine)
    upgrade(empty_engine)
    with Session(empty_engine) as s:
        invoice = s.get(Invoice, ids["invoice"])
        assert invoice is not None
        assert (invoice.agreement_id, invoice.patent_id, invoice.total_minor) == (
            ids["agreement"],
            None,
            10_000,
        )
        assert s.get(Pool, ids["pool"]).evaluation_fee_minor == 0  # type: ignore[union-attr]
        lines = s.execute(select(func.count()).select_from(InvoiceLine)).scalar_one()
        settled = s.execute(select(func.sum(PaymentAllocation.amount_minor))).scalar_one()
        assert (lines, settled) == (1, 10_000)
        if empty_engine.dialect.name == "sqlite":
            assert s.execute(text("PRAGMA foreign_key_check")).all() == []
    # enforced again: an allocation to no invoice
    with pytest.raises(IntegrityError), empty_engine.begin() as conn:
        conn.execute(
            PaymentAllocation.__table__.insert().values(  # type: ignore[attr-defined]
                payment_id=1, invoice_id=999, amount_minor=1, allocated_on=DAY
            )
        )
