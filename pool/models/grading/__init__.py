"""A patent's grade over time (issue 19): the dated grade history and its API shapes,
re-exported here."""

from pool.models.grading.history import (
    GradeChangeRead,
    GradeSource,
    PatentGrade,
    PatentRegrade,
    RegradeResult,
    RunNotRewritten,
)

__all__ = [
    "GradeChangeRead",
    "GradeSource",
    "PatentGrade",
    "PatentRegrade",
    "RegradeResult",
    "RunNotRewritten",
]
