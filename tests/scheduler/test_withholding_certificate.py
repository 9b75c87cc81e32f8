"""Withholding-tax certificates on the demo's year: every contributor with tax withheld gets a
bilingual PDF whose totals are its statements' (royalties due - tax withheld = net paid); its
own and staff may download it, another contributor and a licensee are told there is none."""

import subprocess
from datetime import UTC, datetime

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from pool.auth import Principal
from pool.db import session_scope
from pool.models.distribution import Statement
from pool.models.user import ApiTokenCreate, Role, User
from pool.rendering import money
from pool.services import accounts
from tests.conftest import FakeClock
from tests.scheduler.demo_year import Built
from tests.scheduler.test_one_truth import app_client, copy

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo"), pytest.mark.timeout(600)]
__all__ = ["app_client", "copy"]


def token_of(engine: Engine, user: User) -> dict[str, str]:
    with session_scope(engine) as s:
        caller = Principal(
            user_id=user.id or 0, email=user.email, role=Role(user.role),
            organisation_id=user.organisation_id, token_id=0,
        )  # fmt: skip
        _, raw = accounts.create_api_token(
            s, principal=caller, data=ApiTokenCreate(name="certificate"), now=datetime.now(UTC)
        )
    return {"Authorization": f"Bearer {raw}"}


def test_each_withheld_contributor_downloads_a_certificate_that_adds_up(
    app_client: tuple[TestClient, FakeClock], copy: Engine
) -> None:
    client, _ = app_client
    with Session(copy) as s:
        withheld = s.exec(
            select(
                Statement.contributor_organisation_id,
                Statement.pool_id,
                func.sum(Statement.withholding_minor),
                func.sum(Statement.net_payable_minor),
            )
            .where(Statement.withholding_minor != 0)
            .group_by(Statement.contributor_organisation_id, Statement.pool_id)
        ).all()
        users = {u.organisation_id: u for u in s.exec(select(User)).all()}
        clean = s.exec(
            select(Statement.contributor_organisation_id).where(Statement.withholding_minor == 0)
        ).first()
        licensee = s.exec(select(User).where(User.role == Role.LICENSEE)).first()
    assert withheld, "the demo withholds tax from its non-resident contributors"
    assert clean is not None
    assert licensee is not None
    for org, pool_id, tax, net in withheld:
        url = f"/api/v1/organisations/{org}/withholding-certificate"
        params = {"pool_id": pool_id, "year": 2025}
        got = client.get(url, params=params, headers=token_of(copy, users[org]))
        assert got.status_code == 200, got.text
        assert got.content[:5] == b"%PDF-"
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=got.content, capture_output=True, check=True
        ).stdout.decode()
        assert "代扣代缴税款证明" in text
        assert "Withholding tax certificate" in text
        assert money(int(tax), "CNY") in text
        assert money(int(net), "CNY") in text
        others = (users[clean], licensee)
        for other in others:
            refused = client.get(url, params=params, headers=token_of(copy, other))
            assert refused.status_code == 404
    nothing = client.get(
        f"/api/v1/organisations/{clean}/withholding-certificate",
        params={"pool_id": withheld[0][1], "year": 2025},
        headers=token_of(copy, users[clean]),
    )
    assert nothing.status_code == 404  # nothing withheld: nothing to certify


def test_the_demo_exports_one_certificate_per_contributor_with_tax_withheld(built: Built) -> None:
    """`patentpool demo` writes `certificates/<organisation>-<year>.pdf` for exactly the
    contributors it withheld tax from, each naming that year's tax withheld."""
    with Session(built.engine) as s:
        withheld = dict(
            s.exec(
                select(Statement.contributor_organisation_id, func.sum(Statement.withholding_minor))
                .where(Statement.withholding_minor != 0)
                .group_by(Statement.contributor_organisation_id)
            ).all()
        )
    folder = built.data_dir / "certificates"
    assert sorted(p.name for p in folder.glob("*.pdf")) == sorted(
        f"{org}-2025.pdf" for org in withheld
    )
    assert f"{len(withheld)} withholding-tax certificates" in built.result.output
    for org, tax in withheld.items():
        text = subprocess.run(
            ["pdftotext", "-layout", str(folder / f"{org}-2025.pdf"), "-"],
            capture_output=True,
            check=True,
        ).stdout.decode()
        assert money(int(tax), "CNY") in text
