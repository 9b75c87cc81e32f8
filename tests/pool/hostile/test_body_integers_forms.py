"""The portal's forms carry integers too (issue 13): those parsed into the API's schemas are
bounded by the same types, those a page reads itself (a pool id in a hidden field, a report
row's numbers) by the same limits. Out of range is the form's field error, or the page's "not
found" for an id, never a 500, and nothing is written."""

from datetime import date

from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.db import session_scope
from pool.models.licensing import LicenceAgreement
from tests.pool.conftest import World
from tests.pool.hostile.kit import MAX_ID, TOO_BIG, database_state
from tests.pool.reporting.kit import cover, deal
from tests.web.conftest import csrf_from, post_form, sign_in

TERMS = {
    "terms_version": "v1",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [{"category": "mobile", "rate": "0.50"}],
}
ROW_COLUMNS = ("product_id", "country_of_manufacture", "country_of_sale", "units", "net_sales")


def test_a_member_out_of_range_is_the_join_forms_field_error(
    client: TestClient, world: World, engine: Engine
) -> None:
    """The join form is read with `MembershipCreate`: 2^63 was a 500 on SQLite, 2^31 one on
    PostgreSQL."""
    sign_in(client, "admin@example.org")
    before = database_state(engine)
    url, page = f"/admin/pools/{world.pool_id}/members", f"/admin/members?pool={world.pool_id}"
    for big in (TOO_BIG, MAX_ID + 1):
        form = {"organisation_id": str(big), "joined_on": "2025-02-01", "agreement_version": "M"}
        refused = post_form(client, url, form, page=page)
        assert refused.status_code == 422
        assert f'id="e-organisation_id">must be at most {MAX_ID}' in refused.text
    assert database_state(engine) == before


def test_a_pool_id_out_of_range_in_a_hidden_field_names_no_pool(
    client: TestClient, world: World, engine: Engine
) -> None:
    """The period close and the receipt forms read their pool id themselves: `int()` of any
    digits, then the driver's OverflowError."""
    sign_in(client, "admin@example.org")
    before = database_state(engine)
    for big in (str(TOO_BIG), str(MAX_ID + 1), "9" * 5000):
        close = {"pool_id": big, "period_start": "2025-01-01"}
        refused = post_form(client, "/admin/runs", close, page="/admin/runs")
        assert (refused.status_code, "pool not found" in refused.text) == (422, True)
        receipt = {
            "pool_id": big,
            "licensee_organisation_id": str(world.licensee.organisation_id),
            "reference": "BANK-1",
            "amount": "10.00",
            "received_on": "2025-06-01",
        }
        missing = post_form(client, "/admin/payments", receipt, page="/admin/payments")
        assert (missing.status_code, "Page not found" in missing.text) == (404, True)
    assert database_state(engine) == before


def _agreement(engine: Engine, world: World) -> tuple[int, int]:
    """The licensee's agreement (mobile products) and its one registered product."""
    cover(engine, world, "CN", date(2020, 1, 1))
    made = deal(engine, world, royalty=TERMS)
    with session_scope(engine) as s:
        agreement = s.get(LicenceAgreement, made.agreement_id)
        assert agreement is not None
        agreement.product_categories = ["mobile"]
    return made.agreement_id, made.products["mobile"]


def test_a_licensees_numbers_out_of_range_are_their_fields_errors(
    client: TestClient, world: World, engine: Engine
) -> None:
    """A product's patents (`ProductCreate`) and a report row's product and units, typed as
    thousands of digits too (`int()` raised ValueError: a 500)."""
    agreement_id, product_id = _agreement(engine, world)
    sign_in(client, "sme@example.org")
    before = database_state(engine)
    url = f"/licensee/agreements/{agreement_id}/products"
    product = {"name": "Phone", "model": "P2", "category": "mobile", "patent_ids": str(TOO_BIG)}
    refused = post_form(client, url, product, page=f"{url}/new")
    assert refused.status_code == 422
    assert f'id="e-patent_ids">must be at most {MAX_ID}' in refused.text
    page = f"/licensee/agreements/{agreement_id}/reports/new"
    typed = [
        (str(TOO_BIG), "1"),
        (str(product_id), "9" * 5000),
        (str(product_id), "1" + "0" * 12 + "1"),  # 10^12 + 1 units
    ]
    body = [("_csrf_token", csrf_from(client.get(page))), ("period_start", "2025-01-01")]
    for product_or_big, units in typed:
        values = (product_or_big, "CN", "US", units, "1.00")
        body += [
            *zip(ROW_COLUMNS, values, strict=True),
            ("upstream_paid_units", ""),
            ("unit_price", ""),
        ]
    rows = client.post(
        f"/licensee/agreements/{agreement_id}/reports",
        content="&".join(f"{k}={v}" for k, v in body).encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert rows.status_code == 422
    assert f'id="e-1-product_id">must be at most {MAX_ID}' in rows.text
    assert f'id="e-2-units">must be at most {10**12}' in rows.text
    assert f'id="e-3-units">must be at most {10**12}' in rows.text
    assert database_state(engine) == before
