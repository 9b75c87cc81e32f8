"""The yearly inventor remuneration report: what a contributor owes each inventor of each of its
patents from the royalties the pool paid it for that patent in the year (issue 16). `report`
builds it from the per-patent statement lines and the inventors recorded on each patent;
`documents` renders it as CSV, HTML and PDF (the statements' renderer). It calls
`distribution` (per-patent lines), `patents`, `pools` and `statements`."""

from pool.services.inventor_reports.documents import (
    filename,
    render_csv,
    render_html,
    render_pdf,
)
from pool.services.inventor_reports.report import (
    RemunerationReport,
    build,
    check_rate,
    for_contributor,
    owner_of,
    received_by_patent,
)

__all__ = [
    "RemunerationReport",
    "build",
    "check_rate",
    "filename",
    "for_contributor",
    "owner_of",
    "received_by_patent",
    "render_csv",
    "render_html",
    "render_pdf",
]
