"""The pool tests' world (an admin, two contributors, two licensees, one open pool)."""

from tests.pool.conftest import world

__all__ = ["world"]
