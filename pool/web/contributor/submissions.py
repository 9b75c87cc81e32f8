"""Submitting patents: one by form, or a CSV upload (a large file is imported by a background
task, `background_import.py`). Both go through the API's services; a refused patent or file
comes back on its form (a CSV's problems by line and column) and nothing is saved.

Contributors only (`contributor_only`, as for its patent list); a patent is submitted to one
of the pools the contributor is a current member of.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.params import MultipartBody, URLEncodedBody
from sqlmodel import Session

from pool.auth import Principal
from pool.errors import Conflict, InvalidInput
from pool.models.pool import PoolRead
from pool.services import patents
from pool.services.common import csv_upload
from pool.services.patents import csv_import as patent_import
from pool.unit_of_work import OWN_COMMIT_FIRST
from pool.validation import JURISDICTIONS
from pool.web.account import tasks as web_tasks
from pool.web.contributor import background_import, views
from pool.web.contributor.access import PoolId, contributor_only, my_pools
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

OFFICES = ", ".join(JURISDICTIONS)  # whose patent numbers are accepted, named in the hints


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


class ContributorSubmissionsController(Controller):
    path = "/contributor"
    include_in_schema = False
    # read once by Litestar when the app is built, never changed: a class attribute is fine
    dependencies = {"principal": Provide(contributor_only, sync_to_thread=False)}  # noqa: RUF012

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
            offices=OFFICES,
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
            if csv_upload.data_lines(content) > background_import.BACKGROUND_PATENTS:
                started = background_import.start(request, principal, pool.id, content, now)
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
            offices=OFFICES,
        )
