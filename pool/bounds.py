"""Bounds on what a request may carry, checked where Litestar parses it, so nothing out of
range reaches the database driver (which answered 500 before).

Integers: a value beyond 64 bits raised `OverflowError` in the SQLite driver, and an id beyond
32 bits "integer out of range" on PostgreSQL, whose id and foreign-key columns are `integer`.
Every integer path or query parameter is declared with these bounds (`PathId` here, the API's
query types in `pool.controllers.params`): out of range in the path is a 404 like any missing
object (`pool.problems`), in the query a 422 naming the parameter. Integers in a body are
bounded by their types in `pool.models.integers` (`BodyId` and the like), where `MAX_ID` and
`MAX_EXACT` are defined: the models must not import Litestar.

JSON nesting: decoding and validating recurse once per level, and 100,000 levels raised
`RecursionError`. `BoundedRequest`, the app's request class, measures every JSON body before
it is decoded: deeper than `MAX_JSON_DEPTH` is a 400, like any body that cannot be read.
"""

import re
from itertools import accumulate
from typing import Annotated, Any

from litestar import Request
from litestar.exceptions import ClientException
from litestar.params import PathParameter

# re-exported (the API's and the pages' bounds import them from here): one definition
from pool.models.integers import MAX_EXACT as MAX_EXACT
from pool.models.integers import MAX_ID as MAX_ID

MAX_OFFSET = MAX_ID  # no table holds more rows than it has ids: past this, pages are empty
MAX_JSON_DEPTH = 64  # arrays and objects; the API's own bodies nest a few levels

PathId = Annotated[
    int,
    PathParameter(ge=1, le=MAX_ID, description="an id; outside 1 to 2^31-1 it is not found"),
]

# A string, closed or not: a match never fails from a quote, so the scan stays linear.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = [0] * 256
for _opening in b"[{":
    _STEP[_opening] = 1
for _closing in b"]}":
    _STEP[_closing] = -1


def nested_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a JSON text nests arrays and objects more than `limit` deep, brackets inside
    strings not counted. Regex, translate and accumulate run in C: 5 MB of brackets take about
    0.1 s (decoding them takes longer), and a body with few brackets is not scanned at all."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit


class BoundedRequest(Request[Any, Any, Any]):
    """Litestar's request, but a JSON body too deep to decode safely is refused first."""

    async def json(self) -> Any:
        if nested_too_deep(await self.body()):
            raise ClientException(f"the JSON body is nested more than {MAX_JSON_DEPTH} levels deep")
        return await super().json()
