"""Reading and approving distribution runs (administrators and auditors only).

Approval makes a run immutable and posts it to the ledger as one balanced entry per run:

    Dr royalty_revenue        money distributed, per usage period
    Cr admin_fee              the administrator's fee, per usage period
    Cr contributor_payable    each contributor's change, per usage period
    Dr contributor_payable / Cr withholding_tax_payable   the tax withheld, per contributor

So the fee, the withholding and the contributors' net amounts add up to the money received,
to the unit, every period; the ledger refuses an entry that does not balance."""

from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import Conflict, NotFound
from pool.models.distribution import (
    DistributionRun,
    DistributionRunDetail,
    DistributionRunRead,
    RunContributor,
    RunContributorRead,
    RunLine,
    RunStatus,
    RunUsagePeriod,
    RunUsagePeriodRead,
)
from pool.rendering import Phrase
from pool.services import audit, distribution
from pool.services.audit.snapshot import snapshot
from pool.services.billing import ledger
from pool.services.billing.ledger import ROYALTY_REVENUE, Leg
from pool.services.common.pages import Page, paginate
from pool.services.tasks.progress import Progress, no_progress

ADMIN_FEE = "admin_fee"
CONTRIBUTOR_PAYABLE = "contributor_payable"
WITHHOLDING_TAX = "withholding_tax_payable"
DISTRIBUTION_APPROVED = "distribution_approved"


def get(session: Session, *, principal: Principal, run_id: int) -> DistributionRun:
    principal.require_staff()
    run = session.get(DistributionRun, run_id)
    if run is None:
        raise NotFound("distribution run not found")
    return run


def listing(
    session: Session,
    *,
    principal: Principal,
    pool_id: int,
    status: RunStatus | None,
    limit: int,
    offset: int,
) -> Page[DistributionRunRead]:
    principal.require_staff()
    query = select(DistributionRun).where(DistributionRun.pool_id == pool_id)
    if status is not None:
        query = query.where(DistributionRun.status == status)
    query = query.order_by(col(DistributionRun.period_start).desc())
    return paginate(
        session, query, limit=limit, offset=offset, convert=DistributionRunRead.model_validate
    )


def detail(session: Session, run: DistributionRun) -> DistributionRunDetail:
    periods = session.exec(
        select(RunUsagePeriod)
        .where(RunUsagePeriod.run_id == run.id)
        .order_by(col(RunUsagePeriod.usage_start), col(RunUsagePeriod.usage_end))
    ).all()
    contributors = session.exec(
        select(RunContributor)
        .where(RunContributor.run_id == run.id)
        .order_by(col(RunContributor.contributor_organisation_id))
    ).all()
    return DistributionRunDetail.model_validate(
        {
            **run.model_dump(),
            "usage_periods": [RunUsagePeriodRead.model_validate(p) for p in periods],
            "contributors": [RunContributorRead.model_validate(c) for c in contributors],
        }
    )


def split_by_country(session: Session, run: DistributionRun) -> list[tuple[str, int]]:
    """The run's change per country (its lines summed over contributors and usage periods),
    by country code. The caller has read the run through `get`, which checks who asks."""
    rows = session.exec(
        select(col(RunLine.country), func.sum(RunLine.amount_minor))
        .where(RunLine.run_id == run.id)
        .group_by(col(RunLine.country))
        .order_by(col(RunLine.country))
    ).all()
    return [(country, int(amount)) for country, amount in rows]


def approve(
    session: Session, *, run: DistributionRun, actor: audit.Actor, now: datetime
) -> DistributionRun:
    """Make the draft final and post it; earlier runs of the pool must be approved first."""
    if run.status != RunStatus.DRAFT:
        raise Conflict(
            Phrase(
                "run %(run)s is %(status)s; only a draft can be approved",
                run=run.id,
                status=run.status,
            )
        )
    earlier = session.exec(
        select(DistributionRun.id).where(
            DistributionRun.pool_id == run.pool_id,
            col(DistributionRun.period_start) < run.period_start,
            DistributionRun.status == RunStatus.DRAFT,
        )
    ).first()
    if earlier is not None:
        raise Conflict(Phrase("the earlier run %(earlier)s is not approved yet", earlier=earlier))
    before = snapshot(run)
    post(session, run=run, now=now)
    run.status = RunStatus.APPROVED
    run.approved_at = now
    run.approved_by = actor.label
    session.add(run)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="distribution_run.approved",
        entity_type="distribution_run",
        entity_id=run.id,
        pool_id=run.pool_id,
        before=before,
        after=snapshot(run),
        now=now,
    )
    return run


def legs(session: Session, run: DistributionRun) -> list[Leg]:
    """The legs of the run's ledger entry (see the module docstring), zero ones included."""
    found: list[Leg] = []
    for p in session.exec(select(RunUsagePeriod).where(RunUsagePeriod.run_id == run.id)).all():
        found.append(Leg(ROYALTY_REVENUE, p.received_minor, None, None, p.usage_start, p.usage_end))
        found.append(Leg(ADMIN_FEE, -p.admin_fee_minor, None, None, p.usage_start, p.usage_end))
    for org, start, end, amount in _payables(session, run.id or 0):
        found.append(Leg(CONTRIBUTOR_PAYABLE, -amount, None, org, start, end))
    for c in session.exec(select(RunContributor).where(RunContributor.run_id == run.id)).all():
        org = c.contributor_organisation_id
        found.append(Leg(CONTRIBUTOR_PAYABLE, c.withholding_minor, None, org))
        found.append(Leg(WITHHOLDING_TAX, -c.withholding_minor, None, org))
    return found


def ledger_preview(session: Session, run: DistributionRun) -> tuple[int, int]:
    """What approving posts: the number of ledger lines, and the total of their debits (equal
    to that of their credits). The caller has read the run through `get`."""
    posted = [leg.amount_minor for leg in legs(session, run) if leg.amount_minor]
    return len(posted), sum(amount for amount in posted if amount > 0)


def post(session: Session, *, run: DistributionRun, now: datetime) -> None:
    """The run's one ledger entry (see the module docstring); nothing for an empty run."""
    found = legs(session, run)
    if not any(leg.amount_minor for leg in found):
        return
    ledger.post(
        session,
        pool_id=run.pool_id,
        currency=run.currency,
        occurred_on=now.date(),
        kind=DISTRIBUTION_APPROVED,
        source_type="distribution_run",
        source_id=run.id or 0,
        legs=found,
        now=now,
        memo=f"distribution for [{run.period_start}, {run.period_end})",
    )


def _payables(session: Session, run_id: int) -> list[tuple[int, date, date, int]]:
    """Each contributor's change per usage period (countries summed)."""
    rows = session.exec(
        select(
            col(RunLine.contributor_organisation_id),
            col(RunLine.usage_start),
            col(RunLine.usage_end),
            func.sum(RunLine.amount_minor),
        )
        .where(RunLine.run_id == run_id)
        .group_by(
            col(RunLine.contributor_organisation_id),
            col(RunLine.usage_start),
            col(RunLine.usage_end),
        )
        .order_by(col(RunLine.contributor_organisation_id), col(RunLine.usage_start))
    ).all()
    return [(org, start, end, int(amount)) for org, start, end, amount in rows]


# ---------------------------------------------------------------- administrators' actions


def compute_for(
    session: Session,
    *,
    principal: Principal,
    pool_id: int,
    period_start: date,
    now: datetime,
    progress: Progress = no_progress,
) -> DistributionRun:
    """Close a period by hand: compute its draft (or recompute it), reporting each usage
    period allocated to `progress` (a page's background task shows it)."""
    principal.require_admin()
    return distribution.compute(
        session,
        pool_id=pool_id,
        period_start=period_start,
        actor=audit.Actor.of(principal),
        now=now,
        progress=progress,
    )


def approve_for(
    session: Session, *, principal: Principal, run_id: int, now: datetime
) -> DistributionRun:
    run = get(session, principal=principal, run_id=run_id)
    principal.require_admin()
    return approve(session, run=run, actor=audit.Actor.of(principal), now=now)


def recompute_for(
    session: Session, *, principal: Principal, run_id: int, now: datetime
) -> DistributionRun:
    run = get(session, principal=principal, run_id=run_id)
    return compute_for(
        session, principal=principal, pool_id=run.pool_id, period_start=run.period_start, now=now
    )
