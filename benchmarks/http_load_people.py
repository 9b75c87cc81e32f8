"""http_load.py's people of the demo pool and what they send: logins, the licensees with a
product, a contributor's statement read, usage reports and payments."""

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx

PASSWORD = "patentpool-demo-2025"


def _today() -> date:
    return datetime.now(UTC).date()


def _login(client: httpx.Client, email: str) -> str:
    r = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    r.raise_for_status()
    return str(r.json()["token"])


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def _licensees(client: httpx.Client, n: int) -> list[tuple[str, dict[str, Any], int]]:
    """(token, active agreement, product id) for the first `n` licensees with a product."""
    found = []
    for i in range(1, 400):
        if len(found) == n:
            break
        try:
            token = _login(client, f"licensee-{i:03d}@example.org")
        except httpx.HTTPStatusError:
            continue
        deals = client.get("/api/v1/agreements", headers=_auth(token)).json()["items"]
        for deal in deals:
            if deal["state"] != "active":
                continue
            products = client.get(
                f"/api/v1/agreements/{deal['id']}/products", headers=_auth(token)
            ).json()
            items = products["items"] if isinstance(products, dict) else products
            if items:
                found.append((token, deal, int(items[0]["id"])))
                break
    if len(found) < n:
        raise SystemExit(f"only {len(found)} licensees with an active agreement and a product")
    return found


def _report(deal: dict[str, Any], product: int, token: str, period: date) -> tuple:
    body = {
        "period_start": period.isoformat(),
        "lines": [
            {
                "product_id": product,
                "country_of_manufacture": "CN",
                "country_of_sale": "CN",
                "units": 1000,
                "net_sales_minor": 5_000_000,
                "unit_price_minor": 5_000,  # categories priced by price band need it
            }
        ],
    }
    return ("POST", f"/api/v1/agreements/{deal['id']}/reports/", _auth(token), json.dumps(body))


def _payments(pool_id: int, licensee: int, amount: int, token: str, n: int, tag: str) -> list:
    reqs = []
    for k in range(n):
        body = {
            "licensee_organisation_id": licensee,
            "reference": f"load-{tag}-{k}",
            "amount_minor": amount,
            "currency": "CNY",
            "received_on": _today().isoformat(),
        }
        reqs.append(("POST", f"/api/v1/pools/{pool_id}/payments/", _auth(token), json.dumps(body)))
    return reqs


def _open_invoice(client: httpx.Client, admin: str, licensee: int) -> dict[str, Any]:
    r = client.get(
        "/api/v1/invoices",
        params={"licensee_organisation_id": licensee, "limit": 200},
        headers=_auth(admin),
    )
    r.raise_for_status()
    invoices = [i for i in r.json()["items"] if i["status"] == "open" and i["total_minor"] > 0]
    if not invoices:
        raise SystemExit(f"licensee {licensee} has no open invoice")
    return invoices[-1]


def prepare(client: httpx.Client) -> tuple[list[Any], list[Any], list[tuple[str, list[Any]]]]:
    """What the scenarios send: a contributor's statement read, 50 licensees' reports, and
    payments (50 of a tenth of one open invoice, then 200 more for another licensee)."""
    contributor = _login(client, "contributor@example.org")
    statements = client.get("/api/v1/statements", headers=_auth(contributor)).json()
    statement_id = statements["items"][0]["id"]
    read = [("GET", f"/api/v1/statements/{statement_id}", _auth(contributor), None)]
    people = _licensees(client, 51)
    period = date(_today().year, 1, 1)
    reports = [_report(deal, product, tok, period) for tok, deal, product in people[:50]]
    admin = _login(client, "admin@example.org")
    pool_id = int(people[0][1]["pool_id"])
    # an open invoice to pay: one more licensee reports now
    spare_token, spare_deal, spare_product = people[50]
    method, path, headers, body = _report(spare_deal, spare_product, spare_token, period)
    client.request(method, path, headers=headers, content=body).raise_for_status()
    spare = int(spare_deal["licensee_organisation_id"])
    tenth = max(1, _open_invoice(client, admin, spare)["total_minor"] // 10)
    first = int(people[0][1]["licensee_organisation_id"])
    tag = uuid.uuid4().hex[:6]
    bursts = [
        ("payments x50", _payments(pool_id, spare, tenth, admin, 50, tag)),
        ("payments x200", _payments(pool_id, first, tenth, admin, 200, tag)),
    ]
    return read, reports, bursts
