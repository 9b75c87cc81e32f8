"""http_load.py's money checks, read from the database after the load: no invoice allocated
beyond its total, every ledger entry balanced."""

from sqlalchemy import create_engine, text


def money_checks(database_url: str) -> dict[str, int]:
    """Invoices allocated beyond their total, and ledger entries that do not balance."""
    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            over = conn.execute(
                text(
                    "SELECT count(*) FROM invoice i JOIN (SELECT invoice_id, sum(amount_minor) s"
                    " FROM payment_allocation GROUP BY invoice_id) a ON a.invoice_id = i.id"
                    " WHERE a.s > i.total_minor"
                )
            ).scalar_one()
            unbalanced = conn.execute(
                text(
                    "SELECT count(*) FROM (SELECT entry_id FROM posting"
                    " GROUP BY entry_id HAVING sum(amount_minor) <> 0) u"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    return {"over_allocated_invoices": int(over), "unbalanced_entries": int(unbalanced)}
