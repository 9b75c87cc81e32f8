"""A pool's payouts move one transaction at a time.

Making a batch reads what each contributor is owed and not yet in a batch, then writes lines
for it; settling a line reads its status, then posts. Two transactions doing either at once
would both see the same money open. So every path calls `serialize` before it reads:

- PostgreSQL: a transaction-level advisory lock per pool, keyed by schema as well (advisory
  locks are database-wide). It waits at most the connection's `lock_timeout` (then 503).
- SQLite: the database's single write lock, taken by touching the pool's row (requests that
  write already begin IMMEDIATE; a job that read first fails at once instead of paying twice).

Behind it, the database refuses a second pending line for a contributor (partial unique
index `uq_payout_line_pending`) and a second ledger entry for a line (`uq_journal_entry_source`)."""

from sqlalchemy import text
from sqlmodel import Session

_HELD = "pool.payouts.held"
_ADVISORY_LOCK = (
    "SELECT pg_advisory_xact_lock("
    "hashtextextended(current_schema() || '/payouts/' || CAST(:pool AS text), 0))"
)
_SQLITE_WRITE_LOCK = "UPDATE pool SET name = name WHERE id = :pool"


def serialize(session: Session, pool_id: int) -> None:
    """Hold the pool's payout lock until this transaction ends (a second call is free)."""
    held: set[int] = session.info.setdefault(_HELD, set())
    if pool_id in held:
        return
    dialect = session.get_bind().dialect.name
    statement = _ADVISORY_LOCK if dialect == "postgresql" else _SQLITE_WRITE_LOCK
    session.execute(text(statement), {"pool": pool_id})
    held.add(pool_id)
