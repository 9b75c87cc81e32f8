"""The e-mail that carries a contributor's statement, in the statement's language
(`templates/mail/statement.txt.j2`): the net payable in major units with its currency, the
period as its first and last day."""

from datetime import datetime, timedelta

from pool.models.distribution import Statement
from pool.models.outbox import OutboxMessage
from pool.services.mail import letters
from pool.services.statements.view import StatementView


def notice(statement: Statement, view: StatementView, now: datetime) -> OutboxMessage:
    """The e-mail that carries the statement, written with it (one per statement: the
    dedupe key is the serial), delivered by the outbox."""
    letter = letters.write(
        "statement",
        letters.locale_for(view.language),
        serial=view.serial,
        pool=view.pool_name,
        name=view.contributor_name,
        first=view.period_start,
        last=view.period_end - timedelta(days=1),
        net_minor=view.net_payable_minor,
        currency=view.currency,
    )
    return OutboxMessage(
        kind="statement",
        pool_id=statement.pool_id,
        recipient_organisation_id=statement.contributor_organisation_id,
        subject=letter.subject,
        body=letter.body,
        dedupe_key=f"statement:{view.serial}",
        statement_id=statement.id,
        created_at=now,
    )
