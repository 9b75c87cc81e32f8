"""Documents filed with a challenge, stored and checked as evidence is (`evidence`): the size
against the upload limit, the type by content, the same bytes once per challenge. The
challenger (or an administrator) files them while the challenge is open; whoever may read the
challenge reads them."""

import hashlib
from datetime import datetime

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import Conflict, Forbidden, InvalidInput, NotFound
from pool.models.evaluation import (
    ChallengeDocument,
    ChallengeDocumentRead,
    ChallengeState,
)
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.common.pages import Page, paginate
from pool.services.patents.challenges import get as get_challenge
from pool.services.patents.evidence import checked_content, safe_filename


def upload(
    session: Session,
    *,
    principal: Principal,
    challenge_id: int,
    title: str,
    filename: str | None,
    content: bytes,
    limit: int,
    now: datetime,
) -> ChallengeDocument:
    challenge = get_challenge(session, principal=principal, challenge_id=challenge_id)
    challenger = principal.role in (Role.LICENSEE, Role.CONTRIBUTOR) and (
        principal.organisation_id == challenge.challenger_organisation_id
    )
    if not (challenger or principal.role == Role.ADMIN):
        raise Forbidden("only the challenger or an administrator files a challenge's documents")
    if challenge.state == ChallengeState.CLOSED:
        raise Conflict("the challenge is closed")
    title = title.strip()
    if not title or len(title) > 200:
        raise InvalidInput.field("title", "give a title of at most 200 characters")
    content_type = checked_content(content, limit=limit)
    sha256 = hashlib.sha256(content).hexdigest()
    if session.exec(
        select(ChallengeDocument.id).where(
            ChallengeDocument.challenge_id == challenge_id, ChallengeDocument.sha256 == sha256
        )
    ).first():
        raise Conflict(
            Phrase(
                "this file (SHA-256 %(sha256)s) is already filed for this challenge",
                sha256=sha256,
            )
        )
    document = ChallengeDocument(
        challenge_id=challenge_id,
        title=title,
        filename=safe_filename(filename, content_type),
        content_type=content_type,
        content=content,
        sha256=sha256,
        size_bytes=len(content),
        uploaded_by_user_id=principal.user_id,
        uploaded_at=now,
    )
    session.add(document)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="patent.challenge_document_filed",
        entity_type="challenge_document",
        entity_id=document.id,
        pool_id=challenge.pool_id,
        after=snapshot(ChallengeDocumentRead.model_validate(document)),  # not the bytes
        now=now,
    )
    return document


def listing(
    session: Session, *, principal: Principal, challenge_id: int, limit: int, offset: int
) -> Page[ChallengeDocumentRead]:
    get_challenge(session, principal=principal, challenge_id=challenge_id)
    query = (
        select(ChallengeDocument)
        .where(ChallengeDocument.challenge_id == challenge_id)
        .order_by(col(ChallengeDocument.id))
    )
    return paginate(
        session, query, limit=limit, offset=offset, convert=ChallengeDocumentRead.model_validate
    )


def get(session: Session, *, principal: Principal, document_id: int) -> ChallengeDocument:
    document = session.get(ChallengeDocument, document_id)
    if document is None:
        raise NotFound("document not found")
    try:
        get_challenge(session, principal=principal, challenge_id=document.challenge_id)
    except NotFound:
        raise NotFound("document not found") from None
    return document
