"""The audit trail, for administrators and auditors."""

from datetime import date
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter
from sqlmodel import Session

from pool.controllers.params import Limit, Offset, QueryId
from pool.dependencies import Caller
from pool.models.audit import AuditEventRead, AuditVerification
from pool.services import audit
from pool.services.common.pages import Page
from pool.settings import Settings

From = Annotated[date | None, QueryParameter(name="from", description="first day, UTC (inclusive)")]
To = Annotated[date | None, QueryParameter(name="to", description="last day, UTC (exclusive)")]


class AuditController(Controller):
    path = "/audit"
    tags = ["audit"]

    @get("/", sync_to_thread=True)
    def list_events(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        entity_type: FromQuery[str | None] = None,
        entity_id: FromQuery[str | None] = None,
        pool_id: QueryId = None,
        action: FromQuery[str | None] = None,
        actor_user_id: QueryId = None,
        occurred_from: From = None,
        occurred_to: To = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[AuditEventRead]:
        """Audit events, newest first, filtered (administrators and auditors); `from`/`to`
        bound the event's UTC day, half-open [from, to)."""
        return audit.listing(
            db,
            principal=principal,
            entity_type=entity_type,
            entity_id=entity_id,
            pool_id=pool_id,
            action=action,
            actor_user_id=actor_user_id,
            occurred_from=occurred_from,
            occurred_to=occurred_to,
            limit=limit,
            offset=offset,
        )

    @get("/verify", sync_to_thread=True)
    def verify(
        self, db: NamedDependency[Session], principal: Caller, settings: NamedDependency[Settings]
    ) -> AuditVerification:
        """Recompute the hash chain (the first broken link, if any), check every signed
        checkpoint under the audit key, and re-derive the money tables from the audited
        events; `problems` names each place that does not hold. The heads kept outside
        (statements, e-mails) are checked by `patentpool audit verify --checkpoints-from`."""
        principal.require_staff()
        return audit.verify_everything(db, keys=audit.keyring(settings))
