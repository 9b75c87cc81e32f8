"""A patent's evaluation on one page, the administrator's assignments and decision, the
evaluators' findings, and an evaluator's queue."""

from datetime import datetime

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset
from pool.dependencies import Caller
from pool.models.evaluation import (
    AssignmentCreate,
    AssignmentRead,
    DecisionCreate,
    EvaluationRead,
    FindingCreate,
    FindingRead,
)
from pool.models.patent import PatentRead
from pool.services.common.pages import Page
from pool.services.evaluation_fees import starting
from pool.services.patents import assignments, findings


class EvaluationController(Controller):
    path = "/patents/{patent_id:int}/evaluation"
    tags = ["evaluation"]

    @get("/", sync_to_thread=True)
    def evaluation(
        self, patent_id: PathId, db: NamedDependency[Session], principal: Caller
    ) -> EvaluationRead:
        """The patent, its evaluation state, assignments and the findings side by side (its
        owner, assigned evaluators, staff)."""
        return findings.read(db, principal=principal, patent_id=patent_id)

    @post("/assignments", sync_to_thread=True)
    def assign(
        self,
        patent_id: PathId,
        data: JSONBody[AssignmentCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> AssignmentRead:
        """Assign an evaluator (administrators): one or two per patent, a third only after a
        disagreement; never one of the owner's own staff. The first assignment begins the
        evaluation: a pool with an evaluation fee invoices it to the patent's owner."""
        assignment = starting.assign(
            db, principal=principal, patent_id=patent_id, data=data, now=now
        )
        return AssignmentRead.model_validate(assignment)

    @post("/findings", sync_to_thread=True)
    def record_finding(
        self,
        patent_id: PathId,
        data: JSONBody[FindingCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> FindingRead:
        """Record the caller's finding (an assigned evaluator, once). When the findings
        decide, the patent is admitted or rejected at once."""
        finding = findings.record(db, principal=principal, patent_id=patent_id, data=data, now=now)
        return FindingRead.model_validate(finding)

    @post("/decision", sync_to_thread=True, status_code=200)
    def decide(
        self,
        patent_id: PathId,
        data: JSONBody[DecisionCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> EvaluationRead:
        """Decide a disagreement (administrators): admit with grade or tier, or reject."""
        findings.decide(db, principal=principal, patent_id=patent_id, data=data, now=now)
        return findings.read(db, principal=principal, patent_id=patent_id)


class EvaluationQueueController(Controller):
    path = "/evaluations"
    tags = ["evaluation"]

    @get("/", sync_to_thread=True)
    def queue(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[PatentRead]:
        """An evaluator's assigned patents (staff: every patent with an evaluator)."""
        return assignments.assigned_patents(db, principal=principal, limit=limit, offset=offset)
