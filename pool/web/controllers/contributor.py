"""A contributor's patent pages: its patents (list with status and grade, filters, paging),
submitting one by form, uploading a CSV (its statements: `contributor_statements.py`).

Every page is for contributors only: the controller's `principal` answers 404 to any other
role (and sends visitors to the login page), and the services scope every read to the
contributor's organisation, so another contributor's patent or statement is not found.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, MultipartBody, QueryParameter, URLEncodedBody
from sqlmodel import Session

from pool.auth import Principal
from pool.dependencies import provide_web_principal
from pool.errors import Conflict, InvalidInput, NotFound
from pool.models.patent import Grade, PatentFilters, PatentRead, PatentStatus
from pool.models.pool import PoolRead
from pool.models.user import Role
from pool.services import patents, pools
from pool.services.common import csv_upload
from pool.services.common.pages import MAX_LIMIT
from pool.services.patents import csv_import as patent_import
from pool.services.pools import memberships
from pool.unit_of_work import OWN_COMMIT_FIRST
from pool.web.controllers import contributor_import
from pool.web.controllers import contributor_views as views
from pool.web.controllers import tasks as web_tasks
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

PER_PAGE = 25
PageNumber = Annotated[int, QueryParameter(name="page", ge=1, le=100_000)]
Text = Annotated[str | None, QueryParameter(max_length=100)]
PoolId = Annotated[int | None, QueryParameter(name="pool", ge=1)]
Count = Annotated[int | None, QueryParameter(ge=0)]


def contributor_only(viewer: NamedDependency[Principal | None]) -> Principal:
    """The signed-in contributor; visitors go to the login page, other roles find nothing."""
    principal = provide_web_principal(viewer)
    if principal.role != Role.CONTRIBUTOR or principal.organisation_id is None:
        raise NotFound("not found")
    return principal


def my_pools(db: Session, principal: Principal, *, current_only: bool = False) -> list[PoolRead]:
    """The pools the contributor is (or was) a member of; the membership service scopes it."""
    found = pools.listing(db, status=None, limit=MAX_LIMIT, offset=0).items
    return [
        pool
        for pool in found
        if memberships.listing(
            db, principal=principal, pool_id=pool.id, current_only=current_only, limit=1, offset=0
        ).total
    ]


def chosen(mine: list[PoolRead], pool_id: int | None) -> PoolRead | None:
    """The pool asked for (one of the contributor's, else not found), or the first one."""
    if pool_id is None:
        return mine[0] if mine else None
    for pool in mine:
        if pool.id == pool_id:
            return pool
    raise NotFound("pool not found")


@dataclass
class PatentForm:
    pool_id: str = ""
    number: str = ""
    country: str = ""
    family_id: str = ""
    title: str = ""
    filing_date: str = ""
    grant_date: str = ""
    expiry_date: str = ""
    standard_sections: str = ""


@dataclass
class ImportForm:
    pool_id: str = ""
    file: UploadFile | None = None


def _pool_of(form_value: str, mine: list[PoolRead]) -> PoolRead:
    """The pool chosen on a form: one of the contributor's current pools."""
    pool = next((p for p in mine if str(p.id) == form_value.strip()), None)
    if pool is None:
        raise InvalidInput.field("pool_id", views.CHOOSE_A_POOL)
    return pool


class ContributorController(Controller):
    path = "/contributor"
    include_in_schema = False
    # read once by Litestar when the app is built, never changed: a class attribute is fine
    dependencies = {"principal": Provide(contributor_only, sync_to_thread=False)}  # noqa: RUF012

    @get("/patents", sync_to_thread=True)
    def patent_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        pool_id: PoolId = None,
        status: Text = None,
        grade: Text = None,
        country: Text = None,
        q: Text = None,
        imported: Count = None,
        page_: PageNumber = 1,
    ) -> Response[str]:
        """The contributor's patents in one of its pools, with status and grade, filtered."""
        mine = my_pools(db, principal)
        pool = chosen(mine, pool_id)
        filters = PatentFilters(
            status=views.choice(status, PatentStatus, "status"),
            grade=views.choice(grade, Grade, "grade"),
            country=country.strip().upper() if country and country.strip() else None,
            q=q.strip() if q and q.strip() else None,
        )
        offset = (page_ - 1) * PER_PAGE
        found = None
        if pool is not None:
            found = patents.listing(
                db,
                principal=principal,
                pool_id=pool.id,
                filters=filters,
                limit=PER_PAGE,
                offset=offset,
            )
        return page(
            request,
            "web/contributor/patents.html.j2",
            principal,
            pools=mine,
            pool=pool,
            filters=filters,
            found=found,
            status_label=views.PATENT_STATUS_LABELS,
            grades=views.GRADES,
            imported=imported,
            filter_query=views.filter_query(pool.id if pool else None, filters),
            page_number=page_,
            previous_page=page_ - 1 if page_ > 1 else None,
            next_page=page_ + 1 if found and offset + len(found.items) < found.total else None,
        )

    @get("/patents/{patent_id:int}", sync_to_thread=True)
    def patent(
        self,
        request: Request[Any, Any, Any],
        patent_id: FromPath[int],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        submitted: Annotated[bool, QueryParameter()] = False,
    ) -> Response[str]:
        """One of the contributor's patents (another's is not found)."""
        found = PatentRead.model_validate(patents.get(db, principal=principal, patent_id=patent_id))
        return page(
            request,
            "web/contributor/patent.html.j2",
            principal,
            patent=found,
            pool=pools.get(db, pool_id=found.pool_id),
            status_label=views.PATENT_STATUS_LABELS,
            submitted=submitted,
        )

    @get("/patents/new", sync_to_thread=True)
    def patent_form(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        pool_id: PoolId = None,
    ) -> Response[str]:
        """The form to submit one patent for evaluation."""
        form = PatentForm(pool_id=str(pool_id or ""))
        return self._patent_form(request, db, principal, form, NO_ERRORS)

    @post("/patents/new", sync_to_thread=True)
    def submit_patent(
        self,
        request: Request[Any, Any, Any],
        data: URLEncodedBody[PatentForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Submit through the API's service; refused input comes back on the form."""
        try:
            pool = _pool_of(data.pool_id, my_pools(db, principal, current_only=True))
            values = {k: v for k, v in vars(data).items() if k != "pool_id"}
            created = patents.submit(
                db,
                principal=principal,
                pool_id=pool.id,
                data=views.patent_create(values),
                now=now,
            )
        except (InvalidInput, Conflict) as error:
            errors = views.form_errors(error)
            return self._patent_form(request, db, principal, data, errors, error.status_code)
        return redirect(f"/contributor/patents/{created.id}?submitted=true")

    def _patent_form(
        self,
        request: Request[Any, Any, Any],
        db: Session,
        principal: Principal,
        form: PatentForm,
        errors: FormErrors,
        status: int = 200,
    ) -> Response[str]:
        return page(
            request,
            "web/contributor/patent_form.html.j2",
            principal,
            status=status,
            pools=my_pools(db, principal, current_only=True),
            form=form,
            errors=errors,
        )

    @get("/patents/import", sync_to_thread=True)
    def import_form(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        pool_id: PoolId = None,
    ) -> Response[str]:
        """The CSV upload form, with the columns it reads."""
        return self._import_form(request, db, principal, str(pool_id or ""), NO_ERRORS, [])

    @post("/patents/import", sync_to_thread=True, opt=OWN_COMMIT_FIRST)
    def import_patents(
        self,
        request: Request[Any, Any, Any],
        data: MultipartBody[ImportForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """All or nothing: the service checks every line first; the problems are listed by
        line and column and nothing is saved until the file is clean. A large file is
        imported by a background task, whose page shows its progress."""
        try:
            pool = _pool_of(data.pool_id, my_pools(db, principal, current_only=True))
            if data.file is None or not data.file.filename:
                raise InvalidInput.field("file", views.CHOOSE_A_FILE)
            content = data.file.file.read()
            if csv_upload.data_lines(content) > contributor_import.BACKGROUND_PATENTS:
                started = contributor_import.start(request, principal, pool.id, content, now)
                return web_tasks.started(started)
            result = patent_import.import_csv(
                db, principal=principal, pool_id=pool.id, content=content, now=now
            )
        except InvalidInput as error:
            if error.errors and all(f.line is None for f in error.errors):
                errors = views.form_errors(error)
                return self._import_form(request, db, principal, data.pool_id, errors, [], 422)
            found = views.problems(error)
            return self._import_form(request, db, principal, data.pool_id, NO_ERRORS, found, 422)
        except Conflict as error:
            errors = FormErrors.of(error)
            return self._import_form(request, db, principal, data.pool_id, errors, [], 409)
        finally:
            if data.file is not None:
                data.file.file.close()
        return redirect(f"/contributor/patents?pool={pool.id}&imported={result.imported}")

    def _import_form(
        self,
        request: Request[Any, Any, Any],
        db: Session,
        principal: Principal,
        pool_id: str,
        errors: FormErrors,
        problems: list[views.Problem],
        status: int = 200,
    ) -> Response[str]:
        return page(
            request,
            "web/contributor/import.html.j2",
            principal,
            status=status,
            pools=my_pools(db, principal, current_only=True),
            pool_id=pool_id,
            errors=errors,
            problems=problems,
            required=patent_import.REQUIRED_COLUMNS,
            optional=patent_import.OPTIONAL_COLUMNS,
        )
