"""The essentiality evaluation API (issue 19, docs/evaluation.md): evidence documents, the
administrator's assignments of evaluators, evaluators' findings and the decision of a
disagreement."""

from pool.controllers.evaluation.challenges import (
    ChallengeController,
    ChallengeDocumentController,
    PatentChallengeController,
)
from pool.controllers.evaluation.evidence import EvidenceController, PatentEvidenceController
from pool.controllers.evaluation.findings import EvaluationController, EvaluationQueueController

HANDLERS = (
    PatentEvidenceController,
    EvidenceController,
    EvaluationController,
    EvaluationQueueController,
    PatentChallengeController,
    ChallengeController,
    ChallengeDocumentController,
)

__all__ = ["HANDLERS"]
