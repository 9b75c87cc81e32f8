"""What the statements of one run share (pool, organisations, run lines, the memo of money
invoiced but not received, the patent basis), loaded once per batch, and the view of one
contributor's statement built from it."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from pool.errors import NotFound
from pool.models.distribution import (
    DistributionRun,
    RunContributor,
    RunLine,
    RunUsagePeriod,
)
from pool.models.organisation import Organisation
from pool.models.patent import Patent, PatentInclusion
from pool.models.pool import Pool
from pool.services.distribution.cash import memo
from pool.services.statements.patents import for_run
from pool.services.statements.reasons import bucket_changes, corrected_periods, reason_for
from pool.services.statements.view import (
    AdjustmentLine,
    CountryBasis,
    MemoLine,
    MoneyLine,
    PatentLine,
    StatementView,
)


def statement_language(preference: str) -> str:
    """Statements come in Chinese (`zh`, for any `zh-*` preference) or English."""
    return "zh" if preference.lower().startswith("zh") else "en"


def serial_for(pool_id: int, period_start: date, organisation_id: int) -> str:
    """Readable and stable: pool, period and contributor (authorization, not secrecy, keeps
    another contributor's statement out of reach)."""
    return f"PP{pool_id:04d}-{period_start:%Y%m}-{organisation_id:06d}"


class StatementContext:
    """What every statement of a run shares, loaded once per batch."""

    def __init__(self, session: Session, run: DistributionRun, orgs: list[int]) -> None:
        self.session = session
        self.run = run
        pool = session.get(Pool, run.pool_id)
        if pool is None:
            raise NotFound("pool not found")
        self.pool = pool
        self.orgs = {
            o.id: o
            for o in session.exec(select(Organisation).where(col(Organisation.id).in_(orgs))).all()
        }
        self.totals = {
            c.contributor_organisation_id: c
            for c in session.exec(
                select(RunContributor).where(
                    RunContributor.run_id == run.id,
                    col(RunContributor.contributor_organisation_id).in_(orgs),
                )
            ).all()
        }
        self.lines: dict[int, list[RunLine]] = defaultdict(list)
        for line in session.exec(
            select(RunLine)
            .where(RunLine.run_id == run.id, col(RunLine.contributor_organisation_id).in_(orgs))
            .order_by(col(RunLine.usage_start), col(RunLine.country))
        ).all():
            self.lines[line.contributor_organisation_id].append(line)
        self.periods = {
            (p.usage_start, p.usage_end): p
            for p in session.exec(select(RunUsagePeriod).where(RunUsagePeriod.run_id == run.id))
        }
        self.first_periods = _first_periods(session, self.periods.values())
        self.changes = bucket_changes(session, run)
        self.first_time = sorted(
            key for key in self.changes if self.periods[key[:2]].first_run_id is None
        )
        self.corrected = corrected_periods(session, run)
        self.basis = _basis(session, run)
        self.patents = for_run(session, run_id=run.id or 0, orgs=orgs)
        self.pool_basis = _pool_totals(self.basis)
        self.memo = tuple(
            MemoLine(
                m.usage_start,
                m.usage_end,
                m.invoiced_minor,
                m.received_minor,
                m.outstanding_minor,
                m.deferred_minor,
            )
            for m in memo(session, pool_id=run.pool_id, before=run.period_end)
        )

    @classmethod
    def load(cls, session: Session, run: DistributionRun, orgs: list[int]) -> "StatementContext":
        return cls(session, run, orgs)

    def view(self, org: int, issued_on: date) -> StatementView:
        run, organisation = self.run, self.orgs.get(org)
        totals = self.totals.get(org)
        lines, adjustments = self._lines(org), []
        for line in self.lines.get(org, []):
            period = self.periods[(line.usage_start, line.usage_end)]
            if line.amount_minor == 0 or period.first_run_id is None:
                continue
            start, end = self.first_periods[period.first_run_id]
            change = self.changes.get((line.usage_start, line.usage_end, line.country), 0)
            adjustments.append(
                AdjustmentLine(
                    line.usage_start,
                    line.usage_end,
                    line.country,
                    start,
                    end,
                    line.amount_minor,
                    reason_for(line, change, self.corrected),
                    change,
                )
            )
        return StatementView(
            language=statement_language(organisation.language if organisation else "en"),
            serial=serial_for(run.pool_id, run.period_start, org),
            issued_on=issued_on,
            currency=run.currency,
            pool_name=self.pool.name,
            pool_standard=self.pool.standard,
            contributor_name=organisation.name if organisation else str(org),
            contributor_id=org,
            period_start=run.period_start,
            period_end=run.period_end,
            basis=tuple(
                CountryBasis(country, mine, total)
                for country, (mine, total) in _basis_for(self.basis, self.pool_basis, org).items()
            ),
            lines=tuple(lines),
            adjustments=tuple(adjustments),
            memo=self.memo,
            pool_received_minor=run.received_minor,
            pool_admin_fee_minor=run.admin_fee_minor,
            pool_distributable_minor=run.distributable_minor,
            admin_fee_rate=self.pool.admin_fee_rate,
            gross_minor=totals.gross_minor if totals else 0,
            adjustments_minor=totals.adjustments_minor if totals else 0,
            withholding_rate=totals.withholding_rate
            if totals
            else (organisation.withholding_rate if organisation else "0"),
            withholding_minor=totals.withholding_minor if totals else 0,
            net_payable_minor=totals.net_payable_minor if totals else 0,
            run_id=run.id or 0,
            formula_version=run.formula_version,
            input_sha256=run.input_sha256,
            pool_first_time_minor=sum(self.changes[key] for key in self.first_time),
            pool_adjustments_minor=sum(
                amount for key, amount in self.changes.items() if key not in self.first_time
            ),
            patents=self._patents(org),
        )

    def _patents(self, org: int) -> tuple[PatentLine, ...]:
        tiered = self.pool.allocation_method == "tiered"
        return tuple(
            PatentLine(
                p.usage_start,
                p.usage_end,
                p.country,
                self.periods[(p.usage_start, p.usage_end)].first_run_id is not None,
                p.patent_number,
                p.title,
                (p.tier if tiered else p.grade) or "",
                p.days_in_force,
                p.weight,
                p.amount_minor,
            )
            for p in self.patents.get(org, [])
        )

    def _lines(self, org: int) -> list[MoneyLine]:
        """Every country bucket of the usage periods distributed for the first time, with the
        contributor's part (zero where it has none), so the pool column adds up."""
        mine = {(r.usage_start, r.usage_end, r.country): r.amount_minor for r in self.lines[org]}
        return [
            MoneyLine(start, end, country, self.changes[(start, end, country)], part)
            for start, end, country in self.first_time
            if (part := mine.get((start, end, country), 0)) or self.changes[(start, end, country)]
        ]


def _first_periods(
    session: Session, periods: Iterable[RunUsagePeriod]
) -> dict[int, tuple[date, date]]:
    """The statement period of the run that first distributed each re-opened usage period."""
    ids = {p.first_run_id for p in periods if p.first_run_id is not None}
    runs = session.exec(select(DistributionRun).where(col(DistributionRun.id).in_(ids))).all()
    return {r.id or 0: (r.period_start, r.period_end) for r in runs}


def _basis(session: Session, run: DistributionRun) -> dict[int, dict[str, int]]:
    """Patents in the pool on the period's last day, per owner and country."""
    last_day = run.period_end - timedelta(days=1)
    rows = session.exec(
        select(Patent.owner_organisation_id, PatentInclusion.country, func.count())
        .join(Patent, col(Patent.id) == PatentInclusion.patent_id)
        .where(
            PatentInclusion.pool_id == run.pool_id,
            col(PatentInclusion.start_on) <= last_day,
            or_(col(PatentInclusion.end_on).is_(None), col(PatentInclusion.end_on) > last_day),
        )
        .group_by(col(Patent.owner_organisation_id), col(PatentInclusion.country))
    ).all()
    basis: dict[int, dict[str, int]] = defaultdict(dict)
    for owner, country, count in rows:
        basis[owner][country] = int(count)
    return basis


def _pool_totals(basis: dict[int, dict[str, int]]) -> dict[str, int]:
    """The pool's patents per country (summed once per batch, not once per statement)."""
    totals: dict[str, int] = defaultdict(int)
    for counts in basis.values():
        for country, count in counts.items():
            totals[country] += count
    return dict(totals)


def _basis_for(
    basis: dict[int, dict[str, int]], totals: dict[str, int], org: int
) -> dict[str, tuple[int, int]]:
    """(the contributor's, the pool's) patents per country, in country order."""
    mine = basis.get(org, {})
    return {country: (mine.get(country, 0), totals[country]) for country in sorted(totals)}
