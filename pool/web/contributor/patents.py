"""A contributor's patents: the list of its patents in one of its pools (status and grade,
filters, paging) and one patent. Submitting patents (one by form, or a CSV upload) is in
`submissions.py`, its statements in `statements.py`.

Every page is for contributors only: the controller's `principal` answers 404 to any other
role (and sends visitors to the login page), and the services scope every read to the
contributor's organisation, so another contributor's patent is not found.
"""

from datetime import datetime
from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter, URLEncodedBody
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import MAX_ID, PathId
from pool.errors import DomainError
from pool.models.patent import Grade, PatentFilters, PatentRead, PatentStatus
from pool.services import patents, pools
from pool.services.patents import grades, inventors
from pool.unit_of_work import FormRefusal
from pool.web.contributor import inventors as inventor_form
from pool.web.contributor import views
from pool.web.contributor.access import (
    PER_PAGE,
    PageNumber,
    PoolId,
    chosen,
    contributor_only,
    my_pools,
)
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

Text = Annotated[str | None, QueryParameter(max_length=100)]
Count = Annotated[int | None, QueryParameter(ge=0, le=MAX_ID)]


class ContributorPatentsController(Controller):
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
        patent_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        submitted: Annotated[bool, QueryParameter()] = False,
        saved: Annotated[bool, QueryParameter()] = False,
    ) -> Response[str]:
        """One of the contributor's patents (another's is not found), with its inventors."""
        return self._patent(request, db, principal, patent_id, submitted=submitted, saved=saved)

    @post("/patents/{patent_id:int}/inventors", sync_to_thread=True)
    def set_inventors(
        self,
        request: Request[Any, Any, Any],
        patent_id: PathId,
        data: URLEncodedBody[inventor_form.InventorsForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Replace the patent's inventors; a refusal shows the form again as typed."""
        try:
            written = inventor_form.parsed(data)
            inventors.replace(db, principal=principal, patent_id=patent_id, data=written, now=now)
        except DomainError as error:
            raise FormRefusal(partial(
                self._patent, request, db, principal, patent_id,
                form=data, errors=FormErrors.of(error), status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/contributor/patents/{patent_id}?saved=true#inventors")

    def _patent(
        self,
        request: Request[Any, Any, Any],
        db: Session,
        principal: Principal,
        patent_id: int,
        *,
        submitted: bool = False,
        saved: bool = False,
        form: inventor_form.InventorsForm | None = None,
        errors: FormErrors = NO_ERRORS,
        status: int = 200,
    ) -> Response[str]:
        found = PatentRead.model_validate(patents.get(db, principal=principal, patent_id=patent_id))
        listed = inventors.listing(db, principal=principal, patent_id=patent_id)
        return page(
            request,
            "web/contributor/patent.html.j2",
            principal,
            status=status,
            patent=found,
            pool=pools.get(db, pool_id=found.pool_id),
            status_label=views.PATENT_STATUS_LABELS,
            submitted=submitted,
            saved=saved,
            inventors=listed,
            grade_history=grades.history(
                db, principal=principal, patent_id=patent_id, limit=100, offset=0
            ).items,
            form=form or inventor_form.InventorsForm(inventor_form.as_text(listed)),
            errors=errors,
        )
