"""The grade history of a patent and the administrator's regrade from a date."""

from datetime import datetime

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset
from pool.dependencies import Caller
from pool.models.grading import GradeChangeRead, PatentRegrade, RegradeResult
from pool.services.common.pages import Page
from pool.services.patents import grades


class GradeController(Controller):
    path = "/patents/{patent_id:int}/grades"
    tags = ["patents"]

    @get("/", sync_to_thread=True)
    def list_grades(
        self,
        patent_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[GradeChangeRead]:
        """The patent's grade and tier from each date: the grade given at admission and every
        later change, earliest first (its owner, administrators and auditors)."""
        return grades.history(
            db, principal=principal, patent_id=patent_id, limit=limit, offset=offset
        )

    @post("/", sync_to_thread=True, status_code=201)
    def regrade(
        self,
        patent_id: PathId,
        data: JSONBody[PatentRegrade],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> RegradeResult:
        """Change an admitted patent's grade and/or tier from `effective_on` (administrators
        only), with a reason. The date may fall in a statement period whose run is already
        approved: that run is not rewritten, and the response lists such runs; the next run
        that computes money for a usage period from the date on uses the new grade for the
        days from the date (docs/distribution.md, "Regrades")."""
        return grades.regrade(db, principal=principal, patent_id=patent_id, data=data, now=now)
