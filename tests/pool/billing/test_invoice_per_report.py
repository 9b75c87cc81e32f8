"""A usage report has at most one invoice that is not cancelled (`uq_invoice_report_live`, a
partial unique index), and any number of cancelled ones: a later period re-charged after an
earlier one changed keeps its report and gets a new invoice."""

from datetime import date

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from pool.models.billing import Invoice
from tests.pool.conftest import World
from tests.pool.reporting.kit import cover, deal, line, submit

FLAT = {
    "terms_version": "flat",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [{"category": "mobile", "rate": "0.50"}],
}


def copy(invoice: Invoice, number: str, status: str) -> Invoice:
    fields = invoice.model_dump(exclude={"id", "number", "status"})
    return Invoice(**fields, number=number, status=status)


def test_one_live_invoice_per_report_and_any_number_of_cancelled_ones(
    client: TestClient, world: World, engine: Engine
) -> None:
    cover(engine, world, "CN", date(2020, 1, 1))
    d = deal(engine, world, royalty=FLAT)
    r = submit(client, world, d, "2025-01-01", [line(d.products["mobile"], 100)])
    assert r.status_code == 201, r.text
    with Session(engine) as s:
        first = s.exec(select(Invoice)).one()
        s.add(copy(first, "INV-X1", "cancelled"))
        s.add(copy(first, "INV-X2", "cancelled"))
        s.commit()
        s.add(copy(first, "INV-X3", "open"))
        with pytest.raises(IntegrityError):
            s.commit()
        s.rollback()
        live = s.exec(select(Invoice).where(Invoice.status != "cancelled")).all()
        assert [x.id for x in live] == [first.id]
    # the report shows its live invoice, not the cancelled ones
    shown = client.get(f"/api/v1/reports/{r.json()['id']}", headers=world.admin.headers).json()
    assert shown["invoice_id"] == first.id
