"""Evidence for a patent's evaluation: a contributor (or an administrator) files claim charts,
the granted text and translations; the owner's users, the assigned evaluators, administrators
and auditors read them. Each file is checked before anything is stored: its size against the
upload limit, its type by content (`sniffing`), and its bytes against the patent's other
documents (the same SHA-256 twice is one document)."""

import hashlib
import re
from datetime import datetime

from pydantic import ValidationError
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import Conflict, FieldError, InvalidInput, NotFound, PayloadTooLarge
from pool.models.evaluation import EvidenceDocument, EvidenceKind, EvidenceRead, EvidenceUpload
from pool.models.patent import PatentStatus
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.common.pages import Page, paginate
from pool.services.patents.evaluation_access import readable_patent
from pool.services.patents.sniffing import ACCEPTED, EXTENSIONS, sniff

OPEN_TO_EVIDENCE = frozenset({PatentStatus.SUBMITTED, PatentStatus.UNDER_EVALUATION})
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def checked_content(content: bytes, *, limit: int) -> str:
    if not content:
        raise InvalidInput.field("file", "the file is empty")
    if len(content) > limit:
        raise PayloadTooLarge(
            Phrase(
                "the file is %(size)s bytes; the limit is %(limit)s bytes",
                size=len(content),
                limit=limit,
            )
        )
    content_type = sniff(content)
    if content_type is None:
        raise InvalidInput.field(
            "file", Phrase("the file's content is not %(accepted)s", accepted=ACCEPTED)
        )
    return content_type


def _checked_meta(meta: EvidenceUpload) -> None:
    if meta.kind == EvidenceKind.CLAIM_CHART and not meta.version_label:
        raise InvalidInput.field("version_label", "a claim chart names its version")
    if meta.kind != EvidenceKind.CLAIM_CHART and meta.standard_sections:
        raise InvalidInput.field("standard_sections", "only a claim chart maps sections")


def safe_filename(name: str | None, content_type: str) -> str:
    """The uploader's file name, reduced to safe characters, with the extension of what the
    bytes really are."""
    stem = _UNSAFE.sub("_", (name or "document").rsplit(".", 1)[0]).strip("._")[:150]
    return f"{stem or 'document'}.{EXTENSIONS[content_type]}"


def upload(
    session: Session,
    *,
    principal: Principal,
    patent_id: int,
    meta: EvidenceUpload,
    filename: str | None,
    content: bytes,
    limit: int,
    now: datetime,
) -> EvidenceDocument:
    patent = readable_patent(session, principal=principal, patent_id=patent_id)
    principal.require_role(Role.ADMIN, Role.CONTRIBUTOR)
    if patent.status not in OPEN_TO_EVIDENCE:
        raise Conflict(
            Phrase(
                "evidence is filed before the decision; this patent is %(status)s",
                status=patent.status,
            )
        )
    _checked_meta(meta)
    content_type = checked_content(content, limit=limit)
    sha256 = hashlib.sha256(content).hexdigest()
    if session.exec(
        select(EvidenceDocument.id).where(
            EvidenceDocument.patent_id == patent_id, EvidenceDocument.sha256 == sha256
        )
    ).first():
        raise Conflict(
            Phrase("this file (SHA-256 %(sha256)s) is already filed for this patent", sha256=sha256)
        )
    document = EvidenceDocument(
        patent_id=patent_id,
        kind=meta.kind,
        title=meta.title,
        version_label=meta.version_label,
        standard_sections=meta.standard_sections,
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
        action="patent.evidence_filed",
        entity_type="evidence_document",
        entity_id=document.id,
        pool_id=patent.pool_id,
        after=snapshot(EvidenceRead.model_validate(document)),  # not the bytes: their SHA-256
        now=now,
    )
    return document


def listing(
    session: Session, *, principal: Principal, patent_id: int, limit: int, offset: int
) -> Page[EvidenceRead]:
    """The patent's documents in the order they were filed."""
    readable_patent(session, principal=principal, patent_id=patent_id)
    query = (
        select(EvidenceDocument)
        .where(EvidenceDocument.patent_id == patent_id)
        .order_by(col(EvidenceDocument.id))
    )
    return paginate(session, query, limit=limit, offset=offset, convert=EvidenceRead.model_validate)


def get(session: Session, *, principal: Principal, document_id: int) -> EvidenceDocument:
    document = session.get(EvidenceDocument, document_id)
    if document is None:
        raise NotFound("document not found")
    try:
        readable_patent(session, principal=principal, patent_id=document.patent_id)
    except NotFound:
        raise NotFound("document not found") from None
    return document


def parse_form(
    *, kind: str, title: str, version_label: str | None, standard_sections: str | None
) -> EvidenceUpload:
    """The form's text fields, checked as the JSON bodies are: each problem names its field."""
    sections = [s.strip() for s in (standard_sections or "").split(",") if s.strip()]
    try:
        return EvidenceUpload.model_validate(
            {
                "kind": kind,
                "title": title.strip(),
                "version_label": (version_label or "").strip() or None,
                "standard_sections": sections,
            }
        )
    except ValidationError as error:
        raise InvalidInput(
            "the form has errors",
            [FieldError(field=str(e["loc"][0]), message=e["msg"]) for e in error.errors()],
        ) from None
