"""A client generated from /schema/openapi.json by a standard generator (openapi-python-client)
runs a licensee's quarter: sign in, report, read the invoice, send a payment notice. What it
parses is typed by the document alone, so a response the document mis-describes fails here.
The generated code is written to the test's temporary directory, never into the tree."""

import importlib
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from litestar.testing import TestClient, transport
from sqlalchemy import Engine

from tests.pool.conftest import PASSWORD, World
from tests.pool.reporting.kit import cover, deal

pytestmark = pytest.mark.slow  # the generator runs in a process of its own
GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PACKAGE = "patentpool_client"
PER_UNIT = {
    "terms_version": "generated-client",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [{"category": "mobile", "basis": "per_unit", "rate": "0.50"}],
}


@pytest.fixture
def generated(client: TestClient, tmp_path: Path) -> Iterator[ModuleType]:
    """The client package, generated from the app's document and imported from tmp_path."""
    document = tmp_path / "openapi.json"
    document.write_text(client.get("/schema/openapi.json").text)
    output = ["--output-path", str(tmp_path / PACKAGE)]
    subprocess.run(
        [str(GENERATOR), "generate", "--path", str(document), "--meta", "none", *output],
        check=True,
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.{name}")


def test_a_generated_client_runs_a_licensees_quarter(
    generated: ModuleType, client: TestClient, engine: Engine, world: World
) -> None:
    cover(engine, world, "CN", date(2020, 1, 1))
    agreement = deal(engine, world, royalty=PER_UNIT)
    wire = {
        "base_url": str(client.base_url),
        "httpx_args": {"transport": transport.TestClientTransport(client)},
    }
    models = _module("models")

    login = _module("api.auth.api_v1_auth_login_login")
    signed_in = login.sync(
        client=generated.Client(**wire),
        body=models.LoginRequest(email="sme@example.org", password=PASSWORD),
    )
    assert isinstance(signed_in, models.LoginResponse), signed_in
    assert signed_in.user.organisation_id == world.licensee.organisation_id
    licensee = generated.AuthenticatedClient(token=signed_in.token, **wire)

    submit = _module("api.usage_reports.api_v1_agreements_agreement_id_reports_submit_report")
    line = {
        "product_id": agreement.products["mobile"],
        "country_of_manufacture": "CN",
        "country_of_sale": "CN",
        "units": 1000,
        "net_sales_minor": 0,
    }
    report = models.UsageReportCreate.from_dict({"period_start": "2025-01-01", "lines": [line]})
    receipt = submit.sync(agreement_id=agreement.agreement_id, client=licensee, body=report)
    assert isinstance(receipt, models.ReportReceipt), receipt

    read_invoice = _module("api.invoices.api_v1_invoices_invoice_id_get_invoice")
    invoice = read_invoice.sync(invoice_id=receipt.invoice_id, client=licensee)
    assert isinstance(invoice, models.InvoiceDetail), invoice
    assert invoice.total_minor == 1000 * 50  # 1,000 units at 0.50 USD, in cents
    assert [(x.units, x.amount_minor) for x in invoice.lines] == [(1000, 50000)]

    declare = _module("api.payments.api_v1_payment_notices_declare")
    notice = declare.sync(
        client=licensee,
        body=models.PaymentNoticeCreate.from_dict(
            {
                "invoice_id": invoice.id,
                "reference": "HSBC-2025-0042",
                "amount_minor": invoice.total_minor,
                "paid_on": "2025-05-30",
            }
        ),
    )
    assert isinstance(notice, models.PaymentNoticeRead), notice
    assert (notice.status, notice.amount_minor) == ("pending", 50000)

    # a refusal comes back typed too: another licensee's invoice is not found
    other = declare.sync(
        client=licensee,
        body=models.PaymentNoticeCreate.from_dict(
            {"invoice_id": 2**31 - 1, "reference": "X", "amount_minor": 1, "paid_on": "2025-05-30"}
        ),
    )
    assert isinstance(other, models.ProblemDetails), other
    assert other.status in (404, 422)
