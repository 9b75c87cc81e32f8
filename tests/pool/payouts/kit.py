"""A pool whose Q2 2025 run is approved and its statements issued (the distribution worked
example), with the pool's payee set; the contributor (Uni A) gives bank details, the other
(Lab B) none until a test gives them."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution import kit

API = "/api/v1"
IBAN = {"account_holder": "Uni A", "scheme": "iban", "iban": "DE89 3704 0044 0532 0130 00",
        "bic": "COBADEFFXXX"}  # fmt: skip
CN = {"account_holder": "Lab B 实验室", "scheme": "cn", "account_number": "6222 0202 0000 1234 567",
      "bank_name": "中国工商银行北京分行", "cnaps_code": "102100099996"}  # fmt: skip
PAYEE = {"legal_name": "Pool Admin Ltd", "bank_name": "Bank of China Beijing",
         "account_number": "350045678901234", "swift_bic": "BKCHCNBJ110",
         "cnaps_code": "104100000004"}  # fmt: skip


def xsd_path() -> Path:
    """The official ISO 20022 pain.001.001.09 schema as the `sepaxml` package ships it."""
    import sepaxml

    return Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.09.xsd"


def approved(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> dict[str, Any]:
    """Q2 approved and issued, Q3 paid and closed as a draft; the payee set; Uni A's IBAN."""
    kit.worked_example(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    kit.pay(client, world, "Q3-1", 50050, "2025-08-15", clock)
    clock.now = datetime(2025, 11, 1, 9, tzinfo=UTC)
    q2 = kit.close(client, world, "2025-04-01")
    run = kit.approve(client, world, q2["id"])
    issued = {s["contributor_organisation_id"]: s["id"] for s in kit.issue(client, world, q2["id"])}
    r = client.put(f"{API}/pools/{world.pool_id}/payee", json=PAYEE, headers=world.admin.headers)
    assert r.status_code == 200, r.text
    bank(client, world, "contributor", IBAN)
    net = {c["contributor_organisation_id"]: c["net_payable_minor"] for c in run["contributors"]}
    return {"run": run, "net": net, "statements": issued}


def bank(client: TestClient, world: World, who: str, body: dict[str, Any]) -> None:
    org = world.callers[who].organisation_id
    r = client.put(
        f"{API}/organisations/{org}/bank-details", json=body, headers=world.callers[who].headers
    )
    assert r.status_code == 200, r.text


def create(client: TestClient, world: World, on: str = "2025-11-03") -> dict[str, Any]:
    r = client.post(
        f"{API}/pools/{world.pool_id}/payout-batches",
        json={"execution_date": on},
        headers=world.admin.headers,
    )
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def sent(client: TestClient, world: World, batch_id: int, on: str = "2025-11-01") -> None:
    r = client.post(
        f"{API}/payout-batches/{batch_id}/sent", json={"sent_on": on}, headers=world.admin.headers
    )
    assert r.status_code == 200, r.text


def paid(client: TestClient, world: World, line_id: int, ref: str, on: str = "2025-11-01") -> Any:
    return client.post(
        f"{API}/payout-lines/{line_id}/paid",
        json={"paid_on": on, "bank_reference": ref},
        headers=world.admin.headers,
    )


def returned(client: TestClient, world: World, line_id: int, on: str = "2025-11-01") -> Any:
    return client.post(
        f"{API}/payout-lines/{line_id}/returned",
        json={"returned_on": on, "reason": "account closed"},
        headers=world.admin.headers,
    )
