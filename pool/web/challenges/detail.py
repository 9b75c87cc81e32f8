"""One challenge's page: what was challenged and why, its documents, the re-evaluator's
finding and the outcome, with the forms the viewer may use at this step: more documents (the
challenger, an administrator, while open), the re-evaluator's assignment and the outcome (the
administrator), the finding (the assigned re-evaluator). The service answers 404 for a
challenge outside the viewer's scope, so the page shows exactly what the API shows."""

from datetime import datetime
from typing import Any

from litestar import Request, Response
from sqlmodel import Session

from pool.auth import Principal
from pool.models.evaluation import ChallengeState
from pool.models.patent import Grade, Tier
from pool.models.user import Role
from pool.services.patents import challenge_documents, challenges
from pool.services.patents.challenging import choices, lists
from pool.web.challenges import forms
from pool.web.pages import NO_ERRORS, FormErrors, page


def detail_page(
    request: Request[Any, Any, Any],
    db: Session,
    viewer: Principal,
    now: datetime,
    challenge_id: int,
    *,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
    done: str | None = None,
) -> Response[str]:
    challenge = challenges.get(db, principal=viewer, challenge_id=challenge_id)
    state = challenge.state
    admin = viewer.role == Role.ADMIN
    challenger = viewer.role in (Role.LICENSEE, Role.CONTRIBUTOR) and (
        viewer.organisation_id == challenge.challenger_organisation_id
    )
    documents = challenge_documents.listing(
        db, principal=viewer, challenge_id=challenge_id, limit=200, offset=0
    ).items
    may_assign = admin and state == ChallengeState.FILED
    reevaluating = viewer.role == Role.EVALUATOR and challenge.reevaluator_user_id == viewer.user_id
    return page(
        request, "web/challenges/detail.html.j2", viewer, status=status, errors=errors,
        done=done, row=lists.row(db, challenge), documents=documents,
        may_upload=(admin or challenger) and state != ChallengeState.CLOSED,
        may_assign=may_assign,
        reevaluators=choices.reevaluators(db, challenge) if may_assign else [],
        may_find=reevaluating and state == ChallengeState.ASSIGNED,
        may_close=admin and state == ChallengeState.FOUND,
        reads_evidence=viewer.sees_everything or reevaluating,
        sections=choices.sections(db, challenge), today=now.date().isoformat(),
        grades=[g.value for g in Grade], tiers=[t.value for t in Tier],
        states=forms.STATE_LABELS, grounds=forms.GROUND_LABELS, outcomes=forms.OUTCOME_LABELS,
        ends=forms.END_LABELS, values=request.query_params,
    )  # fmt: skip
