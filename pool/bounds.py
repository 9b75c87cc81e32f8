"""Bounds on what a request may carry, checked where Litestar parses it, so nothing out of
range reaches the database driver (which answered 500 before).

Integers: a value beyond 64 bits raised `OverflowError` in the SQLite driver, and an id beyond
32 bits "integer out of range" on PostgreSQL, whose id and foreign-key columns are `integer`.
Every integer path or query parameter is declared with these bounds (`PathId` here, the API's
query types in `pool.controllers.params`): out of range in the path is a 404 like any missing
object (`pool.problems`), in the query a 422 naming the parameter.
"""

from typing import Annotated

from litestar.params import PathParameter

MAX_ID = 2**31 - 1  # ids are `integer` keys from 1 (PostgreSQL: 32 bits, the smaller)
MAX_OFFSET = MAX_ID  # no table holds more rows than it has ids: past this, pages are empty
# Other integers (amounts, counts): the largest a JSON number, and the OpenAPI bound Litestar
# writes as a float, state exactly; well inside the 64 bits of a BigInteger column.
MAX_EXACT = 2**53 - 1

PathId = Annotated[
    int,
    PathParameter(ge=1, le=MAX_ID, description="an id; outside 1 to 2^31-1 it is not found"),
]
