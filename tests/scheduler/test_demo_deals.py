"""The demo year's patent deals (scheduler/demo/deals.py): every deal it plans is in the
register, the transferred patent left the pool on its day, the released pledge is released,
the capped contributor is held at its cap, and the printed summary counts every deal type with
the programme's targets."""

from collections import Counter

import pytest
from sqlmodel import Session, col, select

from pool.models.deal import DealKind, PatentDeal, PatentDealPatent
from pool.models.distribution import RunUsagePeriod
from pool.models.membership import Membership, MembershipBound
from pool.models.organisation import Organisation
from pool.models.patent import Patent, PatentInclusion
from scheduler.demo.deals import plan_deals
from scheduler.demo.plan import plan
from scheduler.demo.records import Size
from tests.scheduler.demo_year import Built

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo")]


def test_every_planned_deal_is_in_the_register_with_its_effect(built: Built) -> None:
    planned = plan_deals(plan(2025, Size(contributors=6, patents=60, licensees=12), 2025))
    with Session(built.engine) as s:
        deals = s.exec(select(PatentDeal).order_by(PatentDeal.id)).all()  # type: ignore[arg-type]
        assert sorted((d.kind, d.signed_on, d.contract_amount_minor) for d in deals) == sorted(
            (p.kind, p.signed_on, p.amount_minor) for p in planned
        )
        assert {d.kind for d in deals} >= {DealKind.PLEDGE, DealKind.TRANSFER}
        for deal in deals:
            patents = s.exec(
                select(Patent).join(PatentDealPatent).where(PatentDealPatent.deal_id == deal.id)
            ).all()
            assert patents, deal
            if deal.kind == DealKind.TRANSFER:
                for patent in patents:
                    assert (patent.status, patent.ended_on) == ("transferred", deal.effective_on)
                    ends = s.exec(
                        select(PatentInclusion.end_on).where(PatentInclusion.patent_id == patent.id)
                    ).all()
                    assert ends
                    assert all(end is not None and end <= deal.effective_on for end in ends)
        released = [d for d in deals if d.kind == DealKind.PLEDGE and d.ended_on is not None]
        assert len(released) == 1


def test_the_summary_counts_every_deal_type(built: Built) -> None:
    out = built.result.output
    for label in (
        "all deal types (licences, transfers, ...)",
        "  transfers signed",
        "  capital contributions signed",
        "pledge financing amount",
        "pledge financing projects",
    ):
        assert label in out, label
    assert "deals skipped" not in out


def test_the_contributor_with_most_patents_is_held_at_its_cap(built: Built) -> None:
    the_plan = plan(2025, Size(contributors=6, patents=60, licensees=12), 2025)
    owner = Counter(p.owner for p in the_plan.patents).most_common(1)[0][0]
    with Session(built.engine) as s:
        capped = s.exec(
            select(Membership.organisation_id)
            .join(MembershipBound, col(MembershipBound.membership_id) == Membership.id)
            .where(MembershipBound.kind == "cap")
        ).all()
        assert len(capped) == 1
        held = [
            period.bounds_applied
            for period in s.exec(select(RunUsagePeriod)).all()
            if period.bounds_applied
        ]
    assert held, "the cap never held"
    assert all(bounds == {str(capped[0]): "cap"} for bounds in held)
    name = {org.key: org.name for org in the_plan.contributors}[owner]
    with Session(built.engine) as s:
        assert s.get_one(Organisation, capped[0]).name == name
