"""The inventor remuneration report on the demo's year: for every university and institute, what
the report counts as received per patent is exactly what the approved runs of 2025 paid it for
that patent, and each patent's inventors share exactly its remuneration."""

from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.models.distribution import DistributionRun, RunPatentLine
from pool.models.inventor import PatentInventor
from pool.models.organisation import Organisation
from pool.models.patent import Patent
from pool.services import inventor_reports
from tests.scheduler.demo_year import Built

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo")]


def test_every_report_of_the_year_adds_up_to_the_runs_and_to_the_cent(built: Built) -> None:
    with Session(built.engine) as s:
        owners = s.exec(
            select(Organisation)
            .join(Patent, col(Patent.owner_organisation_id) == Organisation.id)
            .join(PatentInventor, col(PatentInventor.patent_id) == Patent.id)
            .distinct()
        ).all()
        assert owners
        [pool_id] = s.exec(select(DistributionRun.pool_id).distinct()).all()
        paid_with_inventors = 0
        for owner in owners:
            found = inventor_reports.build(
                s,
                organisation=owner,
                pool_id=pool_id,
                year=2025,
                rate=Decimal("0.10"),
                received=inventor_reports.received_by_patent(
                    s, pool_id=pool_id, organisation_id=owner.id or 0, year=2025
                ),
            )
            paid = s.exec(
                select(func.coalesce(func.sum(RunPatentLine.amount_minor), 0)).where(
                    RunPatentLine.contributor_organisation_id == owner.id
                )
            ).one()
            assert found.received_minor == paid
            for patent in found.patents:
                if patent.inventors:
                    assert sum(i.amount_minor for i in patent.inventors) == patent.total_minor
                    paid_with_inventors += patent.received_minor
        assert paid_with_inventors > 0
