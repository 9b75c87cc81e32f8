"""One licensee's money moves one transaction at a time.

Settling money reads what is open (an invoice's unpaid amount, a payment's unused credit) and
then writes against it. Two transactions that both read the same open amount would both
settle it: ten concurrent payments once allocated eight times to one invoice. So every path
that moves a licensee's money (payments, confirmed payment notices, write-offs, reports and
their corrections, credit re-applied to new invoices) calls `serialize` before it reads, and
the settlement functions call it again as a guard (a second call in the same transaction is
free).

- PostgreSQL: a transaction-level advisory lock per licensee, keyed by schema as well
  (advisory locks are database-wide; another schema's licensee 3 is not ours). It waits at
  most the connection's `lock_timeout`, then the request is answered 503.
- SQLite: the database's single write lock. Requests that may write already begin with it
  (pool.unit_of_work); elsewhere (jobs) touching the licensee's row takes it, or fails at
  once if another writer committed since this transaction's first read, instead of settling
  on a stale view."""

from sqlalchemy import event, text
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session

_HELD = "pool.licensee_money.held"
_ADVISORY_LOCK = (
    "SELECT pg_advisory_xact_lock("
    "hashtextextended(current_schema() || '/licensee-money/' || CAST(:licensee AS text), 0))"
)
_SQLITE_WRITE_LOCK = "UPDATE organisation SET name = name WHERE id = :licensee"


def serialize(session: Session, licensee_organisation_id: int) -> None:
    """Hold the licensee's money lock until this transaction ends."""
    held: set[int] = session.info.setdefault(_HELD, set())
    if licensee_organisation_id in held:
        return
    dialect = session.get_bind().dialect.name
    statement = _ADVISORY_LOCK if dialect == "postgresql" else _SQLITE_WRITE_LOCK
    session.execute(text(statement), {"licensee": licensee_organisation_id})
    held.add(licensee_organisation_id)


@event.listens_for(OrmSession, "after_transaction_end")
def _released(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_HELD, None)
