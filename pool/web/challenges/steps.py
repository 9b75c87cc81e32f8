"""The writes behind the challenge forms that more than one handler or a confirmation needs:
the documents chosen in a form, each through the API's upload, and the outcome tried in a
savepoint before the administrator confirms it."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from pool.auth import Principal
from pool.errors import InvalidInput
from pool.models.evaluation import ChallengeClose
from pool.services.patents import challenge_documents, challenge_outcomes
from pool.settings import Settings


def uploaded(
    db: Session,
    principal: Principal,
    challenge_id: int,
    files: list[Any],
    settings: Settings,
    now: datetime,
) -> None:
    """Each file chosen, through the API's upload (sniffed, sized, once per challenge)."""
    chosen = [f for f in files if getattr(f, "filename", "")]
    if not chosen:
        raise InvalidInput.field("file", "choose at least one document to file")
    for one in chosen:
        challenge_documents.upload(
            db, principal=principal, challenge_id=challenge_id,
            title=one.filename.rsplit("/", 1)[-1][:200], filename=one.filename,
            content=one.file.read(settings.max_upload_bytes + 1),
            limit=settings.max_upload_bytes, now=now,
        )  # fmt: skip


class _DryRun(Exception):
    """Ends the closing tried before the confirmation, so its savepoint rolls back."""


def dry_run(
    db: Session, principal: Principal, challenge_id: int, closing: ChallengeClose, now: datetime
) -> None:
    """Close inside a savepoint and roll it back: the confirmation is shown only for an
    outcome the service accepts (its date, grade and state checked), and nothing changes."""
    try:
        with db.begin_nested():
            challenge_outcomes.close(
                db, principal=principal, challenge_id=challenge_id, data=closing, now=now
            )
            raise _DryRun
    except _DryRun:
        pass
