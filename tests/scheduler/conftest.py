"""The pool tests' world (an admin, two contributors, two licensees, one open pool) and the
HTTP client, for jobs tested on data built through the API; and the demo's year, built once."""

from tests.pool.conftest import client, world
from tests.scheduler.demo_year import built

__all__ = ["built", "client", "world"]
