"""One distribution run for administrators: its totals, its split by contributor and by country
(charts), and for a draft its change against the previous approved run per contributor and
country (`distribution.comparison`); approving it, and issuing its statements.

Approval cannot be undone, so it is asked twice: "Approve" opens a confirmation page that says
what approval does (the ledger lines it posts and their total) and posts the confirmation with
the draft's fingerprint. A POST without the confirmation only shows that page, and one whose
fingerprint no longer matches (the draft was recomputed meanwhile) shows it again with the new
figures: nothing is approved that the administrator did not see. Auditors read the run page
without the forms; the confirmation is the administrators'."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.errors import DomainError
from pool.models.distribution import DistributionRun, RunStatus
from pool.services import audit, pools, statements
from pool.services.distribution import comparison
from pool.services.distribution import runs as distribution_runs
from pool.settings import Settings
from pool.unit_of_work import FormRefusal
from pool.web.admin import views as av
from pool.web.admin.dashboard import Done, staff_only
from pool.web.i18n import N_
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

ONE_DAY = timedelta(days=1)
CONFIRMED = "approve"
RECOMPUTED = N_("The draft was computed again since you opened it: check the new figures.")
CHANGE_LABELS = {
    "new": N_("New"),
    "dropped": N_("Dropped"),
    "changed": N_("Changed"),
    "same": N_("Unchanged"),
}
BOUND_LABELS = {"cap": N_("held at its cap"), "floor": N_("raised to its floor")}


@dataclass
class ApproveForm:
    confirm: str = ""
    fingerprint: str = ""


def fingerprint(run: DistributionRun) -> str:
    """What the administrator saw: the inputs' hash and how often the draft was computed."""
    return f"{run.input_sha256}:{run.computations}"


class AdminRunController(Controller):
    path = "/admin/runs"
    include_in_schema = False
    dependencies = staff_only()

    def _run(
        self, request: Request[Any, Any, Any], db: Session, staff: Principal,
        run: DistributionRun, *, errors: FormErrors = NO_ERRORS, status: int = 200,
        template: str = "web/admin/run.html.j2", done: str | None = None,
    ) -> Response[str]:  # fmt: skip
        detail = distribution_runs.detail(db, run)
        compared = comparison.compare(db, principal=staff, run_id=run.id or 0)
        ids = {c.contributor_organisation_id for c in detail.contributors}
        owners = av.names(db, staff, ids | {r.contributor_organisation_id for r in compared.rows})
        split = [
            (owners[c.contributor_organisation_id], c.gross_minor + c.adjustments_minor)
            for c in detail.contributors
        ]
        held = sorted(
            {
                (owners.get(int(org), org), kind)
                for period in detail.usage_periods
                for org, kind in (period.bounds_applied or {}).items()
            }
        )  # the members' caps and floors that bound a usage period's split
        lines, debits = distribution_runs.ledger_preview(db, run)
        return page(
            request, template, staff, status=status, run=detail,
            last_day=run.period_end - ONE_DAY, pool=pools.get(db, pool_id=run.pool_id),
            owners=owners, status_label=av.RUN_STATUS_LABELS,
            by_contributor=av.chart(split),
            by_country=av.chart(distribution_runs.split_by_country(db, run)),
            compared=compared, change_label=CHANGE_LABELS,
            previous_last_day=compared.previous.period_end - ONE_DAY if compared.previous else None,
            ledger_lines=lines, ledger_total=debits, fingerprint=fingerprint(run),
            issued=statements.listing(
                db, principal=staff, pool_id=run.pool_id, period_start=run.period_start,
                serial=None, limit=1, offset=0,
            ).total,
            errors=errors, done=done, bounds_held=held, bound_label=BOUND_LABELS,
        )  # fmt: skip

    def _refused(
        self, request: Request[Any, Any, Any], db: Session, staff: Principal, run_id: int,
        error: DomainError,
    ) -> Response[str]:  # fmt: skip
        """The run's page with why approving or issuing was refused (nothing was saved)."""
        run = distribution_runs.get(db, principal=staff, run_id=run_id)
        return self._run(
            request, db, staff, run, errors=FormErrors.of(error), status=error.status_code
        )

    @get("/{run_id:int}", sync_to_thread=True)
    def run(
        self,
        request: Request[Any, Any, Any],
        run_id: PathId,
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        done: Done = None,
    ) -> Response[str]:
        """A run: its totals, the split by contributor and by country, its change against
        the previous approved run, approval (`?done=approved` after it)."""
        run = distribution_runs.get(db, principal=staff, run_id=run_id)
        return self._run(request, db, staff, run, done=done)

    @get("/{run_id:int}/approve", sync_to_thread=True)
    def confirm(
        self,
        request: Request[Any, Any, Any],
        run_id: PathId,
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
    ) -> Response[str]:
        """What approving the draft does, and the button that does it (administrators)."""
        run = distribution_runs.get(db, principal=staff, run_id=run_id)
        staff.require_admin()
        if run.status != RunStatus.DRAFT:
            return redirect(f"/admin/runs/{run_id}")
        return self._run(request, db, staff, run, template="web/admin/run_approve.html.j2")

    @post("/{run_id:int}/approve", sync_to_thread=True)
    def approve(
        self,
        request: Request[Any, Any, Any],
        run_id: PathId,
        data: URLEncodedBody[ApproveForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Approve the draft once confirmed: it becomes final and is posted to the ledger.
        Without the confirmation, or for a draft computed again since: the confirmation."""
        run = distribution_runs.get(db, principal=staff, run_id=run_id)
        staff.require_admin()
        unconfirmed = data.confirm != CONFIRMED or data.fingerprint != fingerprint(run)
        if run.status == RunStatus.DRAFT and unconfirmed:
            stale = data.confirm == CONFIRMED
            return self._run(
                request, db, staff, run, template="web/admin/run_approve.html.j2",
                errors=FormErrors.message(RECOMPUTED) if stale else NO_ERRORS,
                status=409 if stale else 200,
            )  # fmt: skip
        try:
            distribution_runs.approve_for(db, principal=staff, run_id=run_id, now=now)
        except DomainError as error:
            raise FormRefusal(partial(self._refused, request, db, staff, run_id, error)) from error
        return redirect(f"/admin/runs/{run_id}?done=approved")

    @post("/{run_id:int}/statements", sync_to_thread=True)
    def issue(
        self,
        request: Request[Any, Any, Any],
        run_id: PathId,
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        """Issue the approved run's pending statements now (the scheduled job does the same)."""
        try:
            statements.issue_all_for(
                db, principal=staff, run_id=run_id, now=now, audit_keys=audit.keyring(settings)
            )
        except DomainError as error:
            raise FormRefusal(partial(self._refused, request, db, staff, run_id, error)) from error
        pool_id = distribution_runs.get(db, principal=staff, run_id=run_id).pool_id
        return redirect(f"/admin/statements?pool={pool_id}")
