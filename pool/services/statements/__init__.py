"""Contributor statements of approved runs: issuing and storing them (`issuing`) and reading them
back (`reading`), both re-exported here (`statements.issue(...)`, `statements.get(...)`); the
per-batch context (`context`), the prepared view (`view`), the documents (`documents`: HTML, CSV,
PDF) and the PDF worker processes (`pdf_workers`). It calls `distribution` (cash) and `common`."""

from pool.services.statements.issuing import (
    CONTENT_TYPES,
    NOTICE,
    Rendered,
    issue,
    issue_all_for,
    notice,
    pending,
    recipients,
    render,
    store,
    store_document,
)
from pool.services.statements.reading import (
    document,
    get,
    listing,
    one,
    read_model,
    read_one,
)

__all__ = [
    "CONTENT_TYPES",
    "NOTICE",
    "Rendered",
    "document",
    "get",
    "issue",
    "issue_all_for",
    "listing",
    "notice",
    "one",
    "pending",
    "read_model",
    "read_one",
    "recipients",
    "render",
    "store",
    "store_document",
]
