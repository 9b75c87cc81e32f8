"""Evaluation fees through the real API (issue 19): a pool that charges one invoices the
patent's owner when the first evaluator is assigned, once per patent; the contributor reads
and pays it like any invoice; and its money is the pool's own, so the next distribution run
splits exactly the licensees' money, as if the fee had never been paid, and the programme's
licensing figures leave it out."""

from datetime import UTC, date, datetime

from litestar.testing import TestClient
from sqlalchemy import Engine, text

from pool.auth import Principal
from pool.db import session_scope
from pool.models.user import Role
from pool.services import audit
from pool.services.billing import ledger, reminders
from pool.services.evaluation_fees import reading
from tests.conftest import FakeClock
from tests.pool.billing.bank.test_import import camt053
from tests.pool.conftest import World
from tests.pool.distribution import kit
from tests.pool.distribution.regrade_kit import pool_of_three
from tests.pool.evaluation.fee_kit import FEE, charged_patent
from tests.pool.evaluation.kit import (
    API,
    assign,
    evaluators,
    ok,
    patent_under_evaluation,
    problem,
)


def fees(client: TestClient, headers: dict[str, str]) -> list[dict[str, object]]:
    listed = ok(client.get(f"{API}/invoices", params={"kind": "evaluation_fee"}, headers=headers))
    return list(listed["items"])


def test_the_fee_is_invoiced_once_to_the_owner_and_never_split(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    pool_of_three(client, engine, world, clock)  # Q1 royalties invoiced to the licensee
    ok(client.patch(f"{API}/pools/{world.pool_id}", json={"evaluation_fee_minor": FEE},
                    headers=world.admin.headers))  # fmt: skip
    clock.now = datetime(2025, 5, 10, 9, tzinfo=UTC)
    patent = patent_under_evaluation(client, world)
    (second,) = evaluators(client, world, 1)
    ok(assign(client, world, patent, world.evaluator.user_id, "2025-05-10"))
    ok(assign(client, world, patent, int(second["id"]), "2025-05-10"))  # no second fee

    (fee,) = fees(client, world.admin.headers)
    assert (fee["licensee_organisation_id"], fee["patent_id"], fee["agreement_id"]) == (
        world.contributor.organisation_id, patent, None,
    )  # fmt: skip
    assert (fee["total_minor"], fee["issued_on"], fee["due_on"]) == (
        FEE, "2025-05-10", "2025-06-09",
    )  # fmt: skip
    detail = ok(client.get(f"{API}/invoices/{fee['id']}", headers=world.contributor.headers))
    assert [(x["category"], x["amount_minor"]) for x in detail["lines"]] == [
        ("evaluation_fee", FEE)
    ]
    assert fees(client, world.contributor.headers) == [fee]  # its own, through /invoices
    for outsider in (world.other_contributor, world.licensee, world.evaluator):
        assert fees(client, outsider.headers) == []
        problem(client.get(f"{API}/invoices/{fee['id']}", headers=outsider.headers), 404)

    kit.pay(client, world, "Q1-1", 60000, "2025-05-20", clock)  # the licensee's royalties
    clock.now = datetime(2025, 5, 25, 9, tzinfo=UTC)
    paid = client.post(
        f"{API}/pools/{world.pool_id}/payments",
        json={"licensee_organisation_id": world.contributor.organisation_id,
              "reference": fee["number"], "amount_minor": FEE, "currency": "USD",
              "received_on": "2025-05-25"},
        headers=world.admin.headers,
    )  # fmt: skip
    assert paid.status_code == 201, paid.text
    assert (
        ok(client.get(f"{API}/invoices/{fee['id']}", headers=world.admin.headers))["status"]
        == "paid"
    )
    stranger = client.post(
        f"{API}/pools/{world.pool_id}/payments",
        json={"licensee_organisation_id": world.other_contributor.organisation_id,
              "reference": "X", "amount_minor": 1, "currency": "USD", "received_on": "2025-05-25"},
        headers=world.admin.headers,
    )  # fmt: skip
    assert problem(stranger, 422)["errors"] == [
        {"field": "licensee_organisation_id",
         "message": "no licence agreement and no invoice in this pool"}
    ]  # fmt: skip

    clock.now = datetime(2025, 7, 20, 9, tzinfo=UTC)
    q2 = kit.close(client, world, "2025-04-01")
    # exactly the licensee's 60,000, split as without any fee (test_challenge_worked_example)
    assert q2["received_minor"] == 60000
    assert kit.by_contributor(q2, world) == {
        "contributor": (33750, 0, 3375, 30375),
        "other_contributor": (20250, 0, 2025, 18225),
    }
    with session_scope(engine) as s:
        books = {
            account: balance
            for account, _, balance in ledger.trial_balance(s, pool_id=world.pool_id)
        }
        attributed = sum(a for *_, a in ledger.cash_by_usage_period(s, pool_id=world.pool_id))
    assert books["evaluation_fee_revenue"] == -FEE
    assert books["cash"] == 60000 + FEE  # the draft run has paid nothing out yet
    assert sum(books.values()) == 0
    assert attributed == 60000  # the fee's cash pays for no usage period

    figures = ok(client.get(f"{API}/pools/{world.pool_id}/figures", params={"year": 2025},
                            headers=world.admin.headers))  # fmt: skip
    year = figures["current"]
    assert year["received"]["total_minor"] == 60000
    # the royalty invoice alone (100,000, of which 60,000 paid): not the fee
    assert (year["contracted"]["invoices"], year["contracted"]["total_minor"]) == (1, 100000)


def test_a_fee_moved_to_another_patent_fails_the_money_audit(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    ids = charged_patent(client, world, clock)
    other = patent_under_evaluation(client, world, number="JP6999999B2")
    with session_scope(engine) as s:
        assert audit.verify_money(s).ok
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE invoice SET patent_id = :p WHERE id = :i"),
            {"p": other, "i": ids["uni_fee"]},
        )
    with session_scope(engine) as s:
        found = audit.verify_money(s).first
    assert found is not None
    assert (found.table, found.row_id, found.field, found.audited, found.stored) == (
        "invoice", ids["uni_fee"], "patent_id", ids["patent"], other,
    )  # fmt: skip


def test_a_pool_without_a_fee_bills_nothing(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    patent = patent_under_evaluation(client, world)
    ok(assign(client, world, patent, world.evaluator.user_id, "2025-01-02"))
    assert fees(client, world.admin.headers) == []


def test_an_overdue_fee_reminds_the_contributor_of_the_patent_evaluated(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    """Due on 9 June 2025, unpaid on 1 July: 22 days late, no late interest (no licence terms
    charge it), and no payment notice to record (contributors have none)."""
    ids = charged_patent(client, world, clock)
    number = ok(client.get(f"{API}/patents/{ids['patent']}", headers=world.admin.headers))["number"]
    with session_scope(engine) as s:
        made = reminders.overdue_reminders(
            s, pool_id=world.pool_id, as_of=date(2025, 7, 1), now=clock.now
        )
    assert [(r.recipient_organisation_id, r.subject) for r in made] == [
        (world.contributor.organisation_id, "Invoice INV-000001 is overdue")
    ]
    assert made[0].body == (
        f"Invoice INV-000001 (Test pool, evaluation of patent {number}): $1,500.00 was due on"
        " Jun 9, 2025 and was still unpaid on Jul 1, 2025, 22 days late.\n\n"
        "Please pay $1,500.00 with INV-000001 as the reference of your transfer. If you have"
        " paid already, the pool records your payment when it reaches its account.\n"
    )


def test_the_bank_statement_pays_a_fee_by_its_number_or_by_the_payer_and_amount(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    """Two patents of Uni A evaluated: INV-000001 paid by a transfer quoting it, INV-000002 by
    one from "UNI A" without a reference, for exactly what is owed."""
    first = charged_patent(client, world, clock)
    second = patent_under_evaluation(client, world, number="JP6999999B2")
    ok(assign(client, world, second, world.evaluator.user_id, "2025-05-10"))
    clock.now = datetime(2025, 6, 2, 9, tzinfo=UTC)
    entries = [
        ("B-1", "2025-05-20", FEE, "evaluation INV-000001", "Uni A"),
        ("B-2", "2025-05-21", FEE, "", "UNI A"),
    ]
    answer = client.post(
        f"{API}/pools/{world.pool_id}/bank-statements",
        content=camt053(entries),
        headers={**world.admin.headers, "Content-Type": "application/octet-stream"},
    )
    assert answer.status_code == 201, answer.text
    listed = ok(client.get(f"{API}/invoices", params={"kind": "evaluation_fee"},
                           headers=world.admin.headers))  # fmt: skip
    assert [(i["id"], i["status"]) for i in listed["items"]] == [
        (first["uni_fee"], "paid"), (first["uni_fee"] + 1, "paid"),
    ]  # fmt: skip


def test_a_contributors_fees_come_in_pages_newest_first(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    first = charged_patent(client, world, clock)["uni_fee"]
    second = patent_under_evaluation(client, world, number="JP6999999B2")
    ok(assign(client, world, second, world.evaluator.user_id, "2025-05-10"))
    uni = Principal(
        user_id=world.contributor.user_id, email="uni@example.org", role=Role.CONTRIBUTOR,
        organisation_id=world.contributor.organisation_id, token_id=0,
    )  # fmt: skip
    with session_scope(engine) as s:
        pages = [
            reading.fees_of(s, principal=uni, as_of=date(2025, 6, 1), limit=1, offset=offset)
            for offset in (0, 1, 2)
        ]
    assert [[row.invoice.id for row in p.items] for p in pages] == [[first + 1], [first], []]
    assert {p.total for p in pages} == {2}
