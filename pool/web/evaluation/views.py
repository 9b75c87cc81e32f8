"""What the evaluation pages show, read through the services: each queued patent with its
state, assignment and due dates (an assignment is overdue once its due date has passed without
its finding, while the evaluation is open), and the words for states and document kinds."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from pool.auth import Principal
from pool.models.evaluation import AssignmentRead, EvaluationRead, EvaluationState, EvidenceRead
from pool.models.patent import PatentRead
from pool.models.user import Role
from pool.services.common.listing import ListQuery
from pool.services.patents import assignments, evidence, findings
from pool.services.patents.challenging import lists
from pool.services.patents.challenging.lists import ChallengeRow
from pool.web.i18n import N_

STATE_LABELS = {
    "unassigned": N_("Nobody assigned"),
    "awaiting_findings": N_("Waiting for findings"),
    "awaiting_decision": N_("Findings disagree: waiting for a decision"),
    "decided": N_("Decided"),
}
KIND_LABELS = {
    "claim_chart": N_("Claim chart"),
    "granted_text": N_("Granted text"),
    "translation": N_("Translation"),
    "other": N_("Other document"),
}
QUEUE_LIMIT = 200


@dataclass(frozen=True)
class QueueRow:
    patent: PatentRead
    state: str
    assigned_on: date | None  # the viewer's own assignment (staff: the first)
    found: bool  # the viewer (staff: anyone) has recorded a finding
    due_on: date | None  # the viewer's own finding is due (staff: the earliest still due)
    overdue: bool  # that due date has passed without the finding


def overdue_assignments(record: EvaluationRead, today: date) -> set[int]:
    """The ids of the patent's assignments whose due date is before `today` and whose finding
    is not recorded, while the evaluation is open."""
    if record.state == EvaluationState.DECIDED:
        return set()
    done = {f.assignment_id for f in record.findings}
    return {
        a.id
        for a in record.assignments
        if a.due_on is not None and a.due_on < today and a.id not in done
    }


def _due(chosen: list[AssignmentRead], done: set[int]) -> date | None:
    days = [a.due_on for a in chosen if a.due_on is not None and a.id not in done]
    return min(days, default=None)


def queue(
    db: Session, viewer: Principal, state: str | None, today: date, *, overdue: bool = False
) -> list[QueueRow]:
    """The patents assigned to the viewer (staff: every patent with an evaluator), each with
    where its evaluation stands, the soonest due first (then those without a due date);
    `state` narrows them, and `overdue` to those past their due date."""
    found = assignments.assigned_patents(db, principal=viewer, limit=QUEUE_LIMIT, offset=0)
    rows = []
    for patent in found.items:
        record = findings.read(db, principal=viewer, patent_id=patent.id)
        mine = [a for a in record.assignments if a.evaluator_user_id == viewer.user_id]
        chosen = mine or record.assignments
        done = {f.assignment_id for f in record.findings}
        late = overdue_assignments(record, today)
        row = QueueRow(
            patent=patent,
            state=record.state.value,
            assigned_on=chosen[0].assigned_on if chosen else None,
            found=any(a.id in done for a in chosen),
            due_on=_due(chosen, done) if record.state != EvaluationState.DECIDED else None,
            overdue=any(a.id in late for a in chosen),
        )
        if (state is None or row.state == state) and (row.overdue or not overdue):
            rows.append(row)
    rows.sort(key=lambda r: (r.due_on is None, r.due_on or today, r.patent.id))
    return rows


def challenges_to_reevaluate(db: Session, viewer: Principal) -> list[ChallengeRow]:
    """An evaluator's challenges to re-evaluate, newest first (the first 200)."""
    if viewer.role != Role.EVALUATOR:
        return []
    return lists.listing(db, principal=viewer, spec=ListQuery(per_page=QUEUE_LIMIT)).items


def documents(db: Session, viewer: Principal, patent_id: int) -> list[EvidenceRead]:
    return evidence.listing(db, principal=viewer, patent_id=patent_id, limit=200, offset=0).items


def record(db: Session, viewer: Principal, patent_id: int) -> EvaluationRead:
    return findings.read(db, principal=viewer, patent_id=patent_id)
