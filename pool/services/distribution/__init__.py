"""Distribution runs: cash received per usage period and country (`cash`), the allocation input
(`inputs`), statement periods (`periods`), computing a run (`computing`, re-exported here as
`distribution.compute(...)`), reading and approving runs (`runs`), a run against the previous
approved one per contributor and country (`comparison`) and closing periods on schedule
(`period_close`). It calls `billing` (ledger, reminders' due days), `audit`, `tasks` (progress)
and `common`."""

from pool.services.distribution.computing import (
    Outcome,
    compute,
)

__all__ = [
    "Outcome",
    "compute",
]
