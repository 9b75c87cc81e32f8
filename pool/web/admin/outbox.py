"""The outbox for administrators and auditors (`/admin/outbox`): every outgoing e-mail, newest
first, with its recipient, subject, delivery state, attempts, last error and times, a page at
a time (`?page=`, `?status=` for one state). Anyone else is told there is nothing here."""

from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlmodel import Session

from pool.auth import Principal
from pool.models.outbox import OutboxStatus
from pool.services.mail import outbox
from pool.web import nav
from pool.web.admin import views as av
from pool.web.admin.dashboard import staff_only
from pool.web.i18n import N_
from pool.web.pages import page

PER_PAGE = 50
PageNumber = Annotated[int, QueryParameter(name="page", ge=1, le=100_000)]
StatusChoice = Annotated[OutboxStatus | None, QueryParameter(name="status")]
STATE_LABELS = {
    "pending": N_("Queued"),
    "sending": N_("Sending"),
    "sent": N_("Sent"),
    "failed": N_("Failed"),
    "queued": N_("Queued"),
}


class AdminOutboxController(Controller):
    path = "/admin/outbox"
    include_in_schema = False
    dependencies = staff_only()

    @get("/", sync_to_thread=True)
    def outbox(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        page_: PageNumber = 1,
        status: StatusChoice = None,
    ) -> Response[str]:
        """Outgoing e-mails, newest first."""
        found = outbox.listing(
            db, principal=staff, status=status, limit=PER_PAGE, offset=(page_ - 1) * PER_PAGE
        )
        ids = {m.recipient_organisation_id for m in found.items if m.recipient_organisation_id}
        return page(
            request,
            "web/admin/outbox.html.j2",
            staff,
            mails=found,
            owners=av.names(db, staff, ids),
            roles=nav.ROLE_LABELS,
            state_label=STATE_LABELS,
            statuses=[s.value for s in OutboxStatus],
            state=status.value if status else "",
            page_number=page_,
            previous_page=page_ - 1 if page_ > 1 else None,
            next_page=page_ + 1 if page_ * PER_PAGE < found.total else None,
        )
