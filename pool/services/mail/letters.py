"""E-mails written in their reader's language: one Jinja template per message under
`templates/mail/` (`<name>.txt.j2`), translated with the web's gettext catalogue, money in
major units with its currency and dates as dates (the `local_*` filters).

A template's first line is the subject; the body follows after one blank line. The language is
the recipient organisation's (`Organisation.language`: `en`, or `zh-CN` and any `zh-*`, which
read the Chinese catalogue)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from pool.models.organisation import Organisation
from pool.rendering import render_in

SUBJECT_LENGTH = 300  # outbox_message.subject
BODY_LENGTH = 8000  # outbox_message.body


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


def locale_for(language: str | None) -> str:
    """The catalogue an organisation reads: Chinese for any `zh-*` preference, else English."""
    return "zh_CN" if (language or "").lower().startswith("zh") else "en"


def languages(session: Session, organisation_ids: Iterable[int]) -> dict[int, str]:
    """Each organisation's locale, read once for a batch of messages."""
    ids = set(organisation_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(Organisation.id, Organisation.language).where(col(Organisation.id).in_(ids))
    ).all()
    return {org_id or 0: locale_for(language) for org_id, language in rows}


def write(template: str, locale: str, /, **context: Any) -> Letter:
    """`templates/mail/<template>.txt.j2` rendered in `locale`: its first line the subject,
    the rest (after a blank line) the body."""
    text = render_in(locale, f"mail/{template}.txt.j2", **context)
    subject, _, body = text.partition("\n\n")
    return Letter(" ".join(subject.split())[:SUBJECT_LENGTH], body.strip()[:BODY_LENGTH] + "\n")
