"""Query parameters shared by list endpoints, bounded to what the database can hold
(`pool.bounds`): out of range is a 422 naming the parameter."""

from typing import Annotated

from litestar.params import QueryParameter

from pool.bounds import MAX_ID, MAX_OFFSET
from pool.services.common.pages import MAX_LIMIT

Limit = Annotated[
    int, QueryParameter(ge=1, le=MAX_LIMIT, description=f"page size (at most {MAX_LIMIT})")
]
Offset = Annotated[
    int, QueryParameter(ge=0, le=MAX_OFFSET, description="items to skip (at most 2^31-1)")
]
QueryId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID, description="an id (1 to 2^31-1)")]
