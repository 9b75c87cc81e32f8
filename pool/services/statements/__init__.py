"""Contributor statements of approved runs: issuing and storing them (`issuing`) and reading them
back (`reading`), both re-exported here (`statements.issue(...)`, `statements.get(...)`); the
per-batch context (`context`), the prepared view (`view`), each adjustment's reason (`reasons`),
the words that explain and reconcile (`explaining`), the documents (`documents`: HTML, CSV,
PDF through `pdf_render`), the e-mail that carries each (`notices`), the PDF worker
processes (`pdf_workers`) and whether a Chinese PDF would have its glyphs (`fonts`). It calls
`distribution` (cash), `audit` and `common`."""

from pool.services.statements.issuing import (
    CONTENT_TYPES,
    Rendered,
    issue,
    issue_all_for,
    pending,
    recipients,
    render,
    store,
    store_document,
)
from pool.services.statements.notices import notice
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
