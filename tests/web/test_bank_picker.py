"""The bank statement page names the licensee of a waiting credit by typing (issue 17: the
type-ahead licensee picker the payment form uses, no <select> of every licensee): a name the
picker filled in, a part of one name, several names fitting (choose among them), no name
fitting (refused on the field, nothing recorded)."""

import re

from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from pool.models.bank import BankCredit
from pool.models.billing import Payment
from tests.web.conftest import World, sign_in
from tests.web.test_bank_pages import STATEMENT, camt053, decide, owed, upload

__all__ = ["owed"]  # the fixture, used by name


def waiting(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        return {c.bank_reference: c.id or 0 for c in s.exec(select(BankCredit))
                if c.status == "waiting"}  # fmt: skip


def test_a_waiting_credit_is_assigned_by_typing_the_name(
    client: TestClient, engine: Engine, world: World, owed: dict[str, int]
) -> None:
    sign_in(client, "admin@example.org")
    assert upload(client, world, camt053(STATEMENT)).status_code in (302, 303)
    credits = waiting(engine)
    html = client.get("/admin/bank").text
    assert f'hx-get="/pick/licensees?pool={world.pool_id}"' in html
    assert not re.search(r'<select[^>]*name="licensee_organisation_id"', html)

    for typed, message in (("Nobody Ltd", "no licensee of this pool has this name"),
                           ("M", "several licensees have this name")):  # fmt: skip
        refused = decide(client, credits["B-2"], "assign", {"licensee": typed})
        assert refused.status_code == 422, typed
        assert message in refused.text
        assert 'aria-invalid="true"' in refused.text
    several = decide(client, credits["B-2"], "assign", {"licensee": "M"}).text
    options = re.findall(r'<option value="(\d+)">([^<]+)</option>', several)
    assert sorted(int(i) for i, _ in options) == sorted(
        [world.licensee.organisation_id, world.other_licensee.organisation_id])  # fmt: skip
    with Session(engine) as s:
        assert s.exec(select(Payment).where(Payment.reference == "B-2")).first() is None

    big = world.other_licensee.organisation_id
    picked = decide(client, credits["B-2"], "assign", {"licensee": f"Big M (#{big})"})
    assert picked.status_code in (302, 303), picked.text
    typed = decide(client, credits["B-3"], "assign", {"licensee": "sme"})
    assert typed.status_code in (302, 303), typed.text
    with Session(engine) as s:
        payers = {p.reference: p.licensee_organisation_id for p in s.exec(select(Payment))}
    assert payers["B-2"] == big
    assert payers["B-3"] == world.licensee.organisation_id
