"""Usage reports: submission and corrections (`submission`, re-exported here as
`reports.accept(...)`, `reports.submit(...)`), the checks a report passes before anything is
written (`checks`), what a correction changes besides the new report (`corrections`), CSV upload
(`csv_import`), reading reports back (`reading`) and `Idempotency-Key` replays (`idempotency`).
It calls `billing` (invoices, settlement, charging), `licensing`, `pools` (the bounds of a
period), `audit`, `tasks` (progress) and `common`."""

from pool.services.reports.submission import (
    REPORT_LINE_COLUMNS,
    accept,
    content_hash,
    correct,
    get,
    listing,
    submit,
)

__all__ = [
    "REPORT_LINE_COLUMNS",
    "accept",
    "content_hash",
    "correct",
    "get",
    "listing",
    "submit",
]
