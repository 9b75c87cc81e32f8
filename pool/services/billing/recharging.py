"""Charging the later periods of a year again when an earlier one changes (a late report,
or a correction): in period order, on the reports now stored, each with the licensee profile
it had before the change (`pinned_profiles`). Nothing is written here; `reports` cancels and
re-issues the invoices that come out different."""

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from contracts import Coverage, LicenseeProfile, PaymentTerms, RoyaltyResult, YearToDate
from pool.models.licensing import LicenceAgreement
from pool.models.reporting import UsageReport
from pool.services.billing.charging import (
    RoyaltyInputs,
    charge,
    coverage_of,
    profile_of,
    report_lines,
    year_to_date,
)
from pool.services.licensing.terms import royalty_terms_of

Pinned = dict[tuple[int, date], LicenseeProfile]  # (agreement id, period start) -> profile


def pinned_profiles(session: Session, later: Sequence[UsageReport]) -> Pinned:
    """The profile of every later period, judged before anything changes: a re-charge moves
    the year to date only. Judged afterwards, the invoices this change cancels and re-issues
    (their payments re-applied today) would look overdue at those dates and cost the licensee
    a good-standing discount it had."""
    agreements = [session.get(LicenceAgreement, i) for i in {r.agreement_id for r in later}]
    return {
        (agreement.id or 0, report.period_start): profile_of(
            session, agreement, report.period_start
        )
        for agreement in agreements
        if agreement is not None
        for report in later
    }


def _profile(
    session: Session, agreement: LicenceAgreement, pinned: Pinned, start: date
) -> LicenseeProfile:
    found = pinned.get((agreement.id or 0, start))
    return found if found is not None else profile_of(session, agreement, start)


@dataclass(frozen=True)
class Recharged:
    """A later period charged again: its report, agreement, payment terms and the result
    (None for a nil report, which has no invoice but still moves the year to date)."""

    report: UsageReport
    agreement: LicenceAgreement
    payment: PaymentTerms
    result: RoyaltyResult | None


def recharge(session: Session, later: Sequence[UsageReport], pinned: Pinned) -> list[Recharged]:
    """Charge the later periods again, in period order, on the reports now stored: each sees
    the year to date that the changed earlier period leaves, exactly as if all had been
    charged in order. The year to date is carried from one to the next (a fresh replay only
    when the agreement, hence the terms, differs); nothing is written here."""
    done: list[Recharged] = []
    carried: tuple[int, YearToDate] | None = None
    coverage: Coverage | None = None
    for report in later:
        agreement = session.get(LicenceAgreement, report.agreement_id)
        if agreement is None:  # the foreign key makes this unreachable
            continue
        coverage = coverage or coverage_of(session, agreement.pool_id)
        terms, payment = royalty_terms_of(session, agreement)
        profile = functools.partial(_profile, session, agreement, pinned)
        inputs = RoyaltyInputs(terms, profile, coverage)
        start = report.period_start
        if carried is not None and carried[0] == agreement.id:
            ytd = carried[1]
        else:
            ytd = year_to_date(session, agreement, start, inputs)
        period = (start, report.period_end)
        lines = report_lines(session, report.id or 0)
        result = charge(inputs, period=period, lines=lines, ytd=ytd)
        carried = (agreement.id or 0, result.year_to_date)
        done.append(Recharged(report, agreement, payment, None if report.is_nil else result))
    return done
