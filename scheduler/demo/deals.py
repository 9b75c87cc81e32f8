"""The demo year's patent deals beyond the pool's licence (the register, docs/deals.md), so the
year's figures count every deal type: two pledges to a bank (one released in the autumn), a
transfer that takes a patent out of the pool in August, a capital contribution and a licence
outside the pool, with the money received under them. The administrator records them, through
the same service the API uses, on the day each happens. And one cap: the contributor with the
most patents is capped at 5 % of each usage period's money from 1 January, so the runs show a
bound holding (docs/distribution.md, caps and floors)."""

import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from pool.models.deal import DealCreate, DealEnd, DealKind, PatentDealPatent, ReceiptCreate
from pool.models.membership import BoundCreate, BoundKind, Membership
from pool.models.organisation import Organisation, OrganisationCreate, OrganisationKind, SizeClass
from pool.models.patent import Patent, PatentStatus
from pool.services import audit
from pool.services.accounts import organisations
from pool.services.deals import register
from pool.services.pools import member_bounds
from scheduler.demo.founding import Built
from scheduler.demo.organisations import make_uscc
from scheduler.demo.records import Plan

BANK = "北京银行股份有限公司中关村分行"
Action = Callable[[Session, datetime], str]


@dataclass(frozen=True)
class DemoDeal:
    kind: DealKind
    supplier: str  # plan key of the contributor
    counterparty: str | None  # plan key of a licensee; None: the bank
    patents: int
    signed_on: date
    effective_on: date
    amount_minor: int  # CNY fen
    receipts: tuple[tuple[date, int], ...] = ()
    ended_on: date | None = None


def plan_deals(the_plan: Plan) -> list[DemoDeal]:
    """Who does what, from the plan's contributors by kind (a kind the plan lacks: no deal)."""
    y = the_plan.year
    by_kind: dict[OrganisationKind, list[str]] = {}
    for org in the_plan.contributors:
        by_kind.setdefault(org.kind, []).append(org.key)
    universities = by_kind.get(OrganisationKind.UNIVERSITY, [])
    institutes = by_kind.get(OrganisationKind.RESEARCH_INSTITUTE, [])
    enterprises = [
        *by_kind.get(OrganisationKind.STATE_OWNED_ENTERPRISE, []),
        *by_kind.get(OrganisationKind.PRIVATE_COMPANY, []),
    ]
    licensees = [lp.org.key for lp in the_plan.licensees]
    wanted: list[tuple[list[str], int, Callable[[str], DemoDeal]]] = [
        (universities, 0, lambda who: DemoDeal(
            DealKind.PLEDGE, who, None, 2, date(y, 3, 10), date(y, 3, 15), 500_000_000,
            ended_on=date(y, 9, 30))),
        (institutes, 0, lambda who: DemoDeal(
            DealKind.PLEDGE, who, None, 1, date(y, 5, 25), date(y, 6, 1), 200_000_000)),
        (institutes, 1, lambda who: DemoDeal(
            DealKind.LICENCE, who, licensees[0], 1, date(y, 4, 10), date(y, 4, 10), 15_000_000,
            receipts=((date(y, 4, 30), 15_000_000),))),
        (universities, 1, lambda who: DemoDeal(
            DealKind.CAPITAL_CONTRIBUTION, who, licensees[1], 2, date(y, 5, 20),
            date(y, 5, 20), 300_000_000)),
        (enterprises, 0, lambda who: DemoDeal(
            DealKind.TRANSFER, who, licensees[2], 1, date(y, 8, 1), date(y, 8, 15), 80_000_000,
            receipts=((date(y, 8, 20), 40_000_000), (date(y, 11, 20), 40_000_000)))),
    ]  # fmt: skip
    return [make(keys[n]) for keys, n, make in wanted if len(keys) > n and len(licensees) > 2]


CAP = Decimal("0.05")


def _capper(built: Built, owner: str, on: date) -> Action:
    def cap(session: Session, now: datetime) -> str:
        organisation = built.orgs[owner]
        membership = session.exec(
            select(Membership.id).where(
                Membership.pool_id == built.pool_id, Membership.organisation_id == organisation
            )
        ).one()
        data = BoundCreate(kind=BoundKind.CAP, share=CAP, effective_from=on)
        member_bounds.set_bound(
            session, principal=built.admin, membership_id=membership or 0, data=data, now=now
        )
        return "caps set"

    return cap


def agenda(the_plan: Plan, built: Built) -> Iterator[tuple[date, Action]]:
    """Each deal recorded on its signing day; receipts and a release on their days; the cap
    on the year's first day."""
    owners = Counter(patent.owner for patent in the_plan.patents)
    if len(owners) > 1:
        first = date(the_plan.year, 1, 1)
        yield first, _capper(built, owners.most_common(1)[0][0], first)
    for deal in plan_deals(the_plan):
        recorded: list[int] = []
        yield deal.signed_on, _recorder(built, deal, recorded)
        for n, (on, amount) in enumerate(deal.receipts):
            yield on, _receiver(built, recorded, on, amount, f"DEMO-{deal.kind}-{n + 1}")
        if deal.ended_on is not None:
            yield deal.ended_on, _ender(built, recorded, deal.ended_on)


def _recorder(built: Built, deal: DemoDeal, recorded: list[int]) -> Action:
    def record(session: Session, now: datetime) -> str:
        supplier = built.orgs[deal.supplier]
        counterparty = built.orgs[deal.counterparty] if deal.counterparty else _bank(session, now)
        patents = _free_patents(session, built.pool_id, supplier, deal.effective_on)
        if len(patents) < deal.patents:
            return "deals skipped (no free patent)"
        data = DealCreate(
            kind=deal.kind,
            supplier_organisation_id=supplier,
            counterparty_organisation_id=counterparty,
            patent_ids=patents[: deal.patents],
            signed_on=deal.signed_on,
            effective_on=deal.effective_on,
            contract_amount_minor=deal.amount_minor,
            registration_number=f"DEMO{deal.effective_on:%Y%m%d}{deal.kind.value[:2].upper()}",
            registered_on=deal.effective_on,
        )
        saved = register.record(
            session, principal=built.admin, pool_id=built.pool_id, data=data, now=now
        )
        recorded.append(saved.id or 0)
        return f"{deal.kind.value.replace('_', ' ')}s recorded"

    return record


def _receiver(built: Built, recorded: list[int], on: date, amount: int, ref: str) -> Action:
    def receive(session: Session, now: datetime) -> str:
        data = ReceiptCreate(received_on=on, amount_minor=amount, reference=ref)
        for deal_id in recorded:
            register.add_receipt(
                session, principal=built.admin, deal_id=deal_id, data=data, now=now
            )
        return "deal receipts recorded"

    return receive


def _ender(built: Built, recorded: list[int], on: date) -> Action:
    def end(session: Session, now: datetime) -> str:
        data = DealEnd(ended_on=on, reason="loan repaid")
        for deal_id in recorded:
            register.end(session, principal=built.admin, deal_id=deal_id, data=data, now=now)
        return "pledges released"

    return end


def _bank(session: Session, now: datetime) -> int:
    """The pledgee, created the first time a pledge needs it."""
    found = session.exec(select(Organisation.id).where(Organisation.name == BANK)).first()
    if found is not None:
        return found
    data = OrganisationCreate(
        name=BANK,
        kind=OrganisationKind.STATE_OWNED_ENTERPRISE,
        size_class=SizeClass.LARGE,
        country="CN",
        uscc=make_uscc(random.Random("demo:bank"), "91"),  # 91: a company (市场监管部门登记的企业)
        language="zh-CN",
    )
    return (
        organisations.create(session, data=data, actor=audit.Actor.system("demo"), now=now).id or 0
    )


def _free_patents(session: Session, pool_id: int, owner: int, on: date) -> list[int]:
    """The owner's accepted patents admitted by `on` that no deal names yet, oldest first."""
    taken = select(PatentDealPatent.patent_id)
    rows = session.exec(
        select(Patent.id)
        .where(
            Patent.pool_id == pool_id,
            Patent.owner_organisation_id == owner,
            Patent.status == PatentStatus.ACCEPTED,
            col(Patent.admitted_on) <= on - timedelta(days=1),
            col(Patent.id).not_in(taken),
        )
        .order_by(col(Patent.id))
    ).all()
    return [pid for pid in rows if pid is not None]
