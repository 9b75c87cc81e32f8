"""The pool's bank statements for administrators: upload one as the bank exported it, see what
it matched, and decide the credits left waiting (assign to a licensee, or dismiss with a note).
Auditors read the page without the forms; everything goes through `billing.bank`, as
the API does."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body as BodyParam
from litestar.params import QueryParameter, URLEncodedBody
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import MAX_ID, PathId
from pool.errors import DomainError, FieldError, InvalidInput, NotFound
from pool.models.bank import (
    BankImportRead,
    CreditAssign,
    CreditDismiss,
    CreditStatus,
)
from pool.models.integers import id_from_text
from pool.services.billing import bank
from pool.services.licensing import picking
from pool.unit_of_work import FormRefusal
from pool.web.admin import views as av
from pool.web.admin.dashboard import PoolChoice, staff_only
from pool.web.i18n import N_
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

SHOWN = 100  # waiting credits and recent decisions shown
CHOOSE_FILE = N_("choose the bank statement file")
# how a credit was matched (pool.models.bank.MatchRule values), shown through `| translate`
RULES = (N_("payment notice"), N_("invoice number"), N_("licensee and amount"), N_("administrator"))
Imported = Annotated[int | None, QueryParameter(name="imported", ge=1, le=MAX_ID)]


@dataclass
class UploadForm:
    pool_id: str = ""
    file: UploadFile | None = None


@dataclass
class AssignForm:
    licensee: str = ""  # a name typed (the type-ahead fills "Name (#id)")
    licensee_organisation_id: str = ""  # the suggestion's button, or a name the server found
    note: str = ""


@dataclass
class DismissForm:
    note: str = ""


@dataclass(frozen=True)
class Refused:
    """Which form was refused (`upload`, `credit-3-assign`, `credit-3-dismiss`), its errors
    (with the file's lines) and what was typed."""

    form: str = ""
    errors: FormErrors = NO_ERRORS
    faults: list[FieldError] = field(default_factory=list)
    typed: dict[str, str] = field(default_factory=dict)
    matches: list[tuple[int, str]] = field(default_factory=list)  # licensees the name fits


class AdminBankController(Controller):
    path = "/admin/bank"
    include_in_schema = False
    dependencies = staff_only()

    def _page(
        self,
        request: Request[Any, Any, Any],
        db: Session,
        staff: Principal,
        now: datetime,
        pool_id: int | None,
        *,
        summary: BankImportRead | None = None,
        refused: Refused | None = None,
        status: int = 200,
    ) -> Response[str]:
        pool, choices = av.chosen_pool(db, pool_id)
        template = "web/admin/bank.html.j2"
        if pool is None or pool.id is None:
            return page(request, template, staff, pool=None, choices=choices)
        waiting = bank.listing(
            db, principal=staff, pool_id=pool.id, status=CreditStatus.WAITING, limit=SHOWN,
            offset=0,
        )  # fmt: skip
        recent = bank.listing(
            db, principal=staff, pool_id=pool.id, status=None, limit=SHOWN, offset=0
        )
        decided = [c for c in recent.items if c.status != CreditStatus.WAITING]
        names = av.names(
            db, staff, {c.licensee_organisation_id for c in decided if c.licensee_organisation_id}
        )
        return page(
            request,
            template,
            staff,
            status=status,
            pool=pool,
            choices=choices,
            summary=summary,
            waiting=waiting.items,
            waiting_total=waiting.total,
            decided=decided,
            names=names,
            refused=refused or Refused(),
        )

    @get("/", sync_to_thread=True)
    def bank_page(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
        pool_id: PoolChoice = None,
        imported: Imported = None,
    ) -> Response[str]:
        """Upload a statement; the credits waiting for a decision; the latest decided ones."""
        summary = bank.summary_of(db, principal=staff, file_id=imported) if imported else None
        return self._page(request, db, staff, now, pool_id, summary=summary)

    @post("/", sync_to_thread=True)
    def upload(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[UploadForm, BodyParam(media_type=RequestEncodingType.MULTI_PART)],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """The file through `bank.import_statement`: every faulty line is listed."""
        pool_id = id_from_text(data.pool_id)
        if pool_id is None:
            raise NotFound("pool not found")
        try:
            staff.require_admin()
            if data.file is None or not data.file.filename:
                raise InvalidInput(CHOOSE_FILE, [FieldError(CHOOSE_FILE, field="file")])
            content = data.file.file.read()
            summary = bank.import_statement(
                db, principal=staff, pool_id=pool_id, content=content, now=now
            )
        except DomainError as error:
            refused = Refused("upload", *_upload_errors(error))
            raise FormRefusal(partial(
                self._page, request, db, staff, now, pool_id, refused=refused,
                status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/admin/bank?pool={pool_id}&imported={summary.file_id}#imported")

    @post("/credits/{credit_id:int}/assign", sync_to_thread=True)
    def assign(
        self,
        request: Request[Any, Any, Any],
        credit_id: PathId,
        data: URLEncodedBody[AssignForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Whose money it is: recorded as that licensee's payment."""
        credit = bank.get(db, principal=staff, credit_id=credit_id)
        matches: list[tuple[int, str]] = []
        try:
            licensee = id_from_text(data.licensee_organisation_id)
            if licensee is None and data.licensee_organisation_id.strip():
                raise InvalidInput.field("licensee", "choose the licensee")
            if licensee is None:  # the name typed: the one licensee of the pool it names
                licensee, matches = picking.one_licensee(
                    db, principal=staff, pool_id=credit.pool_id, text=data.licensee,
                    field="licensee",
                )  # fmt: skip
                if matches:
                    raise InvalidInput.field("licensee", "several licensees have this name")
            answer = CreditAssign(licensee_organisation_id=licensee, note=data.note or None)
            bank.assign(db, principal=staff, credit_id=credit_id, data=answer, now=now)
        except DomainError as error:
            self._refused(request, db, staff, now, credit.pool_id, error,
                          f"credit-{credit_id}-assign", vars(data), matches)  # fmt: skip
        return redirect(f"/admin/bank?pool={credit.pool_id}#decided")

    @post("/credits/{credit_id:int}/dismiss", sync_to_thread=True)
    def dismiss(
        self,
        request: Request[Any, Any, Any],
        credit_id: PathId,
        data: URLEncodedBody[DismissForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Not a licensee's money: nothing is recorded, the note says why."""
        credit = bank.get(db, principal=staff, credit_id=credit_id)
        try:
            if not data.note.strip():
                raise InvalidInput(
                    "say why",
                    [FieldError(N_("say why it is not a licensee's money"), field="note")],
                )
            answer = CreditDismiss(note=data.note.strip()[:300])
            bank.dismiss(db, principal=staff, credit_id=credit_id, data=answer, now=now)
        except DomainError as error:
            self._refused(request, db, staff, now, credit.pool_id, error,
                          f"credit-{credit_id}-dismiss", vars(data))  # fmt: skip
        return redirect(f"/admin/bank?pool={credit.pool_id}#decided")

    def _refused(
        self,
        request: Request[Any, Any, Any],
        db: Session,
        staff: Principal,
        now: datetime,
        pool_id: int,
        error: DomainError,
        form: str,
        typed: dict[str, str],
        matches: list[tuple[int, str]] | None = None,
    ) -> None:
        refused = Refused(form, FormErrors.of(error), typed=typed, matches=matches or [])
        raise FormRefusal(partial(
            self._page, request, db, staff, now, pool_id, refused=refused,
            status=error.status_code,
        )) from error  # fmt: skip


def _upload_errors(error: DomainError) -> tuple[FormErrors, list[FieldError]]:
    """The summary (what went wrong, and faults that have no line: the account's currency),
    the file field's own message, and the faulty lines for the table under the form."""
    faults = error.errors if isinstance(error, InvalidInput) else []
    lined = [fault for fault in faults if fault.line]
    found = FormErrors.of(error)
    unlined = [m for name, messages in found.fields.items() if name != "file" for m in messages]
    general = ([error.detail] if lined else found.general) + unlined
    fields = {"file": found.on("file")} if found.on("file") else {}
    return FormErrors(fields=fields, general=general), lined
