"""The pool tests' world (an admin, two contributors, two licensees, one open pool) and the
HTTP client, for jobs tested on data built through the API."""

from tests.pool.conftest import client, world

__all__ = ["client", "world"]
