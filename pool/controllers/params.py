"""Query parameters shared by list endpoints."""

from typing import Annotated

from litestar.params import QueryParameter

Limit = Annotated[int, QueryParameter(ge=1, le=500, description="page size (at most 500)")]
Offset = Annotated[int, QueryParameter(ge=0, description="items to skip")]
