"""The demo pool (`patentpool demo`): this package owns a realistic year of an AVS3
video-coding pool, planned from a seed (pure and deterministic: the same seed plans the same
pool, byte for byte, on every machine) and built only through the real `pool` services and
the `scheduler` jobs on a simulated clock. It may call `pool` (services, models, database,
settings) and the scheduler's jobs, never litestar; nothing under `pool/` imports it."""

# The plan, no database: `plan.plan(seed, size, year)` (one `random.Random(seed)`) makes the
# `records`, with organisations from `organisations` and patents from `patents`; `usage` gives
# each licensee's quarterly report lines (seeded per licensee and quarter) and `terms` the
# pool's terms.
# Its execution: `command` checks the data dir and founds the pool through `founding` (users,
# organisations, the pool, its terms, the open licence, patents submitted and evaluated);
# `year` walks the calendar, running the jobs and the day's `events` (licences, products,
# filings, reports, corrections, payments); `results` exports the statements and prints what
# the year made.

from scheduler.demo.certificates import export_certificates as export_certificates
from scheduler.demo.command import Options as Options
from scheduler.demo.command import Refused as Refused
from scheduler.demo.command import banner as banner
from scheduler.demo.command import run as run
from scheduler.demo.records import Size as Size
from scheduler.demo.results import export_statements as export_statements
from scheduler.demo.results import pool_of as pool_of
from scheduler.demo.results import summary as summary
