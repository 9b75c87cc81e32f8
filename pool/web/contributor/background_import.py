"""A large patent CSV (more than `BACKGROUND_PATENTS` data lines) is imported by a background
task: the upload form answers at once with the task's progress page, which leads to the
contributor's patents when it is done, or shows the problems by line and column."""

from datetime import datetime
from typing import Any

from litestar import Request
from sqlmodel import Session

from pool.auth import Principal
from pool.services.patents import csv_import as patent_import
from pool.services.tasks.progress import Progress
from pool.web.account import tasks as web_tasks

BACKGROUND_PATENTS = 2_000  # data lines above which an import runs as a background task


def start(
    request: Request[Any, Any, Any], principal: Principal, pool_id: int, content: bytes,
    now: datetime,
) -> int:  # fmt: skip
    """Start the import of a large file (the same service, in the task's transaction);
    returns the task's id."""

    def run(session: Session, progress: Progress) -> dict[str, Any]:
        result = patent_import.import_csv(
            session, principal=principal, pool_id=pool_id, content=content, now=now,
            progress=progress,
        )  # fmt: skip
        href = f"/contributor/patents?pool={pool_id}&imported={result.imported}"
        return {"imported": result.imported, "href": href}

    return web_tasks.runner(request).start(
        kind="patent_import",
        principal=principal,
        action=run,
        pool_id=pool_id,
        organisation_id=principal.organisation_id,
        inputs={"back": f"/contributor/patents/import?pool={pool_id}"},
    )
