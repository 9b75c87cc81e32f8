"""The evaluation pages (issue 19): the evaluator's queue, a patent's evidence and the finding
form, and the administrator's assignment and double-evaluation decision page."""

from pool.web.evaluation.decision import AdminEvaluationController
from pool.web.evaluation.queue import EvaluatorController

__all__ = ["AdminEvaluationController", "EvaluatorController"]
