"""What the findings on a patent decide, as plain rules on its assignments and findings (no
database): one evaluator's finding decides; two decide when they agree (same essentiality,
same grade and tier) and otherwise wait for the administrator or a third evaluator, whose
finding then decides."""

from collections.abc import Sequence

from pool.models.evaluation import EvaluationAssignment, EvaluationFinding, EvaluationState
from pool.models.patent import Patent, PatentStatus

OPEN = frozenset({PatentStatus.SUBMITTED, PatentStatus.UNDER_EVALUATION})


def agree(first: EvaluationFinding, second: EvaluationFinding) -> bool:
    if first.essential != second.essential:
        return False
    return not first.essential or (first.grade, first.tier) == (second.grade, second.tier)


def deciding(
    assignments: Sequence[EvaluationAssignment], findings: Sequence[EvaluationFinding]
) -> EvaluationFinding | None:
    """The finding that decides the patent now, if any."""
    tie_breakers = {a.id for a in assignments if a.tie_breaker}
    for finding in findings:
        if finding.assignment_id in tie_breakers:
            return finding
    independent = [f for f in findings if f.assignment_id not in tie_breakers]
    expected = len(assignments) - len(tie_breakers)
    if expected == 1 and len(independent) == 1:
        return independent[0]
    if expected == 2 and len(independent) == 2 and agree(*independent):
        return independent[1]  # the later of the two: its date is the decision's
    return None


def disagreement(
    assignments: Sequence[EvaluationAssignment], findings: Sequence[EvaluationFinding]
) -> bool:
    independent = [f for f in findings if not _is_tie_breaker(f, assignments)]
    return len(independent) == 2 and not agree(*independent)


def _is_tie_breaker(
    finding: EvaluationFinding, assignments: Sequence[EvaluationAssignment]
) -> bool:
    return any(a.id == finding.assignment_id and a.tie_breaker for a in assignments)


def state_of(
    patent: Patent,
    assignments: Sequence[EvaluationAssignment],
    findings: Sequence[EvaluationFinding],
) -> EvaluationState:
    if patent.status not in OPEN:
        return EvaluationState.DECIDED
    if not assignments:
        return EvaluationState.UNASSIGNED
    if disagreement(assignments, findings) and deciding(assignments, findings) is None:
        return EvaluationState.AWAITING_DECISION
    return EvaluationState.AWAITING_FINDINGS
