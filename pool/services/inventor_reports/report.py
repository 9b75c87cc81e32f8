"""The yearly inventor remuneration report of one contributor in one pool: each of its patents'
royalties received in the year, and each inventor's remuneration at the contributor's rate
(allocation/remuneration.py: rounded once per patent, split exactly by shares)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from allocation.remuneration import STATUTORY_RATE, remunerate
from pool.auth import Principal
from pool.errors import InvalidInput, NotFound
from pool.models.distribution import DistributionRun, RunPatentLine, RunStatus
from pool.models.inventor import PatentInventor
from pool.models.organisation import Organisation
from pool.models.patent import Patent
from pool.models.user import Role
from pool.services import pools


@dataclass(frozen=True)
class InventorShare:
    position: int
    name: str
    staff_number: str | None
    share_percent: Decimal
    amount_minor: int


@dataclass(frozen=True)
class PatentRemuneration:
    patent_id: int
    number: str
    title: str
    received_minor: int
    total_minor: int  # for all its inventors: received x rate, rounded once
    inventors: tuple[InventorShare, ...]  # none recorded: the total is owed but unassigned


@dataclass(frozen=True)
class RemunerationReport:
    organisation_id: int
    organisation_name: str
    language: str
    pool_id: int
    pool_name: str
    currency: str
    year: int
    rate: Decimal
    patents: tuple[PatentRemuneration, ...]

    @property
    def received_minor(self) -> int:
        return sum(p.received_minor for p in self.patents)

    @property
    def total_minor(self) -> int:
        return sum(p.total_minor for p in self.patents)

    @property
    def unassigned(self) -> tuple[PatentRemuneration, ...]:
        """Patents with royalties but no inventors recorded: their remuneration has no payee."""
        return tuple(p for p in self.patents if not p.inventors and p.total_minor)


def received_by_patent(
    session: Session, *, pool_id: int, organisation_id: int, year: int
) -> dict[int, int]:
    """Each patent's part of what the pool's approved runs of `year` paid the contributor
    (the per-patent statement lines: a run distributes the cash its period received)."""
    rows = session.exec(
        select(RunPatentLine.patent_id, func.sum(RunPatentLine.amount_minor))
        .join(DistributionRun, col(DistributionRun.id) == RunPatentLine.run_id)
        .where(
            DistributionRun.pool_id == pool_id,
            DistributionRun.status == RunStatus.APPROVED,
            col(DistributionRun.period_start) >= date(year, 1, 1),
            col(DistributionRun.period_start) < date(year + 1, 1, 1),
            RunPatentLine.contributor_organisation_id == organisation_id,
        )
        .group_by(col(RunPatentLine.patent_id))
    ).all()
    return {patent_id: int(total) for patent_id, total in rows}


def check_rate(percent: Decimal) -> Decimal:
    """The rate asked for in percent (10 for the statutory 10 %), as a fraction."""
    if not percent.is_finite() or not 0 <= percent <= 100 or percent != round(percent, 2):
        raise InvalidInput.field("rate", "a percentage from 0 to 100, at most two decimals")
    return percent / 100


def owner_of(session: Session, principal: Principal, organisation_id: int) -> Organisation:
    """Staff read every contributor's report; a contributor its own; others are told none."""
    org = session.get(Organisation, organisation_id)
    if org is None or principal.role == Role.LICENSEE:
        raise NotFound("organisation not found")
    principal.require_staff_or_org(organisation_id, "organisation")
    return org


def build(
    session: Session,
    *,
    organisation: Organisation,
    pool_id: int,
    year: int,
    rate: Decimal = STATUTORY_RATE,
    received: Mapping[int, int],
) -> RemunerationReport:
    """The report from `received`: royalties received in the year per patent id (the
    contributor's per-patent statement lines of the year)."""
    pool = pools.get(session, pool_id=pool_id)
    patents = session.exec(
        select(Patent)
        .where(Patent.pool_id == pool_id, Patent.owner_organisation_id == organisation.id)
        .order_by(col(Patent.number), col(Patent.id))
    ).all()
    found = []
    for patent in patents:
        income = received.get(patent.id or 0, 0)
        listed = session.exec(
            select(PatentInventor)
            .where(PatentInventor.patent_id == patent.id)
            .order_by(col(PatentInventor.position))
        ).all()
        if not income and not listed:
            continue
        split = remunerate(income, rate, [i.share_bp for i in listed] or [10_000])
        inventors = tuple(
            InventorShare(i.position, i.name, i.staff_number, Decimal(i.share_bp) / 100, amount)
            for i, amount in zip(listed, split.shares_minor, strict=False)
        )
        found.append(
            PatentRemuneration(
                patent.id or 0, patent.number, patent.title, income, split.total_minor, inventors
            )
        )
    return RemunerationReport(
        organisation_id=organisation.id or 0,
        organisation_name=organisation.name,
        language=organisation.language,
        pool_id=pool_id,
        pool_name=pool.name,
        currency=pool.currency,
        year=year,
        rate=rate,
        patents=tuple(found),
    )


def for_contributor(
    session: Session,
    *,
    principal: Principal,
    organisation_id: int,
    pool_id: int | None,
    year: int,
    rate: Decimal,
) -> RemunerationReport:
    """The report of a contributor the caller may read, in the named pool (or its only one)."""
    organisation = owner_of(session, principal, organisation_id)
    pools_of = sorted(
        set(
            session.exec(
                select(Patent.pool_id).where(Patent.owner_organisation_id == organisation_id)
            ).all()
        )
    )
    if pool_id is None:
        if len(pools_of) != 1:
            raise InvalidInput.field("pool_id", "name the pool of the report")
        pool_id = pools_of[0]
    elif pool_id not in pools_of:
        raise NotFound("no patents of this organisation in that pool")
    received = received_by_patent(
        session, pool_id=pool_id, organisation_id=organisation_id, year=year
    )
    return build(
        session, organisation=organisation, pool_id=pool_id, year=year, rate=rate, received=received
    )
