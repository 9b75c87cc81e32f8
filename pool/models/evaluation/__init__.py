"""Essentiality evaluation by independent evaluators (issue 19): the evidence a contributor
files for a patent (claim charts, granted text, translations), the evaluators the
administrator assigns, and the finding each of them records. The tables keep the whole
record: a decided evaluation's documents and findings stay readable."""

from pool.models.evaluation.challenges import (
    Challenge,
    ChallengeAssign,
    ChallengeClose,
    ChallengeCreate,
    ChallengeDocument,
    ChallengeDocumentRead,
    ChallengeFinding,
    ChallengeFindingCreate,
    ChallengeFindingRead,
    ChallengeGround,
    ChallengeOutcome,
    ChallengeRead,
    ChallengeState,
)
from pool.models.evaluation.evidence import (
    EvidenceDocument,
    EvidenceKind,
    EvidenceRead,
    EvidenceUpload,
)
from pool.models.evaluation.findings import (
    AssignmentCreate,
    AssignmentRead,
    DecisionCreate,
    EvaluationAssignment,
    EvaluationFinding,
    EvaluationRead,
    EvaluationState,
    FindingCreate,
    FindingRead,
)

__all__ = [
    "AssignmentCreate",
    "AssignmentRead",
    "Challenge",
    "ChallengeAssign",
    "ChallengeClose",
    "ChallengeCreate",
    "ChallengeDocument",
    "ChallengeDocumentRead",
    "ChallengeFinding",
    "ChallengeFindingCreate",
    "ChallengeFindingRead",
    "ChallengeGround",
    "ChallengeOutcome",
    "ChallengeRead",
    "ChallengeState",
    "DecisionCreate",
    "EvaluationAssignment",
    "EvaluationFinding",
    "EvaluationRead",
    "EvaluationState",
    "EvidenceDocument",
    "EvidenceKind",
    "EvidenceRead",
    "EvidenceUpload",
    "FindingCreate",
    "FindingRead",
]
