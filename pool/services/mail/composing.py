"""One outbox message as an e-mail: its recipients (the active users of its organisation, or of
its role), a Message-ID derived from the dedupe key, and a statement's stored documents
attached."""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from sqlmodel import Session, col, select

from pool.models.distribution import Statement, StatementDocument
from pool.models.outbox import OutboxMessage
from pool.models.user import Role, User
from pool.settings import Settings

ATTACHMENT_ORDER = ("pdf", "html", "csv")


_SEVEN_BIT = policy.default.clone(cte_type="7bit")  # non-ASCII text goes quoted-printable/base64


def message_id_for(dedupe_key: str, mail_from: str) -> str:
    """The same Message-ID for every attempt of a message: a hash of its dedupe key at the
    sender's domain."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(dedupe_key.encode()).hexdigest()[:32]}@{domain}>"


class _Problem(Exception):
    """A message that cannot be built; `final` ones are not retried."""

    def __init__(self, detail: str, *, final: bool) -> None:
        super().__init__(detail)
        self.final = final


@dataclass(frozen=True)
class _Outgoing:
    message: EmailMessage
    recipients: tuple[str, ...]


def recipients_of(session: Session, row: OutboxMessage, settings: Settings) -> list[str]:
    """The organisation's active users; for a message to a role, every active user holding
    it, and for the auditors also the outside addresses of PATENTPOOL_AUDIT_CHECKPOINT_TO."""
    query = select(User.email).where(col(User.is_active).is_(True))
    if row.recipient_role is not None:
        query = query.where(User.role == row.recipient_role)
    else:
        query = query.where(User.organisation_id == row.recipient_organisation_id)
    found = set(session.exec(query).all())
    if row.recipient_role == Role.AUDITOR:
        found |= set(settings.audit_checkpoint_to)
    return sorted(found)


def _compose(session: Session, row: OutboxMessage, settings: Settings, now: datetime) -> _Outgoing:
    recipients = recipients_of(session, row, settings)
    if not recipients:
        whom = (
            f"no active user has the role {row.recipient_role}"
            if row.recipient_role is not None
            else f"organisation {row.recipient_organisation_id} has no active user"
        )
        raise _Problem(f"no recipients: {whom}", final=True)
    message = EmailMessage(policy=_SEVEN_BIT)
    message["From"] = settings.mail_from
    message["To"] = ", ".join(recipients)
    message["Subject"] = row.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = row.message_id or message_id_for(row.dedupe_key, settings.mail_from)
    message.set_content(row.body)
    if row.statement_id is not None:
        _attach_statement(session, message, row.statement_id)
    return _Outgoing(message, tuple(recipients))


def _attach_statement(session: Session, message: EmailMessage, statement_id: int) -> None:
    statement = session.get(Statement, statement_id)
    documents = {
        doc.format: doc
        for doc in session.exec(
            select(StatementDocument).where(StatementDocument.statement_id == statement_id)
        ).all()
    }
    if statement is None or not documents:
        raise _Problem(f"statement {statement_id} has no stored documents yet", final=False)
    stem = re.sub(r"[^A-Za-z0-9._-]", "-", f"statement-{statement.serial}")
    for fmt in (f for f in ATTACHMENT_ORDER if f in documents):
        doc = documents[fmt]
        kind, _, rest = doc.content_type.partition(";")
        maintype, _, subtype = kind.strip().partition("/")
        params = {
            k.strip(): v.strip().strip('"')
            for k, _, v in (p.partition("=") for p in rest.split(";") if "=" in p)
        }
        message.add_attachment(
            doc.content, maintype, subtype, filename=f"{stem}.{fmt}", params=params
        )
