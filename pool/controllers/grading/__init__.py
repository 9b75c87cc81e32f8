"""A patent's grade over time (issue 19): its history, and a regrade from a date."""

from pool.controllers.grading.grades import GradeController

HANDLERS = (GradeController,)

__all__ = ["HANDLERS", "GradeController"]
