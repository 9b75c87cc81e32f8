"""Evidence for a patent's evaluation: upload (multipart), list, and download the stored bytes."""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset
from pool.dependencies import Caller, bearer_first
from pool.models.evaluation import EvidenceRead
from pool.openapi import RESPONSE_MEDIA_TYPES
from pool.services.common.pages import Page
from pool.services.patents import evidence, sniffing
from pool.settings import Settings


@dataclass
class EvidenceForm:
    """The multipart form: `file`, and `kind` (claim_chart, granted_text, translation, other),
    `title`, for a claim chart `version_label` and `standard_sections` (comma-separated)."""

    file: UploadFile
    kind: str = ""
    title: str = ""
    version_label: str | None = None
    standard_sections: str | None = None


class PatentEvidenceController(Controller):
    path = "/patents/{patent_id:int}/evidence"
    tags = ["evaluation"]

    @post("/", sync_to_thread=True, guards=[bearer_first])
    def upload(
        self,
        patent_id: PathId,
        data: Annotated[EvidenceForm, Body(media_type=RequestEncodingType.MULTI_PART)],
        db: NamedDependency[Session],
        principal: Caller,
        settings: NamedDependency[Settings],
        now: NamedDependency[datetime],
    ) -> EvidenceRead:
        """File a document for a submitted patent or one under evaluation (its owner's users
        or an administrator). Its type is read from its content; the same file twice, a type
        other than PDF, PNG, JPEG, UTF-8 text, DOCX or XLSX, or a file over the upload limit
        is refused and nothing is stored."""
        meta = evidence.parse_form(
            kind=data.kind,
            title=data.title,
            version_label=data.version_label,
            standard_sections=data.standard_sections,
        )
        document = evidence.upload(
            db,
            principal=principal,
            patent_id=patent_id,
            meta=meta,
            filename=data.file.filename,
            content=data.file.file.read(settings.max_upload_bytes + 1),
            limit=settings.max_upload_bytes,
            now=now,
        )
        return EvidenceRead.model_validate(document)

    @get("/", sync_to_thread=True)
    def list_evidence(
        self,
        patent_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[EvidenceRead]:
        """The patent's documents, in the order filed (its owner, assigned evaluators, staff)."""
        return evidence.listing(
            db, principal=principal, patent_id=patent_id, limit=limit, offset=offset
        )


class EvidenceController(Controller):
    path = "/evidence/{document_id:int}"
    tags = ["evaluation"]

    @get("/", sync_to_thread=True)
    def describe(
        self, document_id: PathId, db: NamedDependency[Session], principal: Caller
    ) -> EvidenceRead:
        """One document's description: kind, title, version, type, size and SHA-256."""
        return EvidenceRead.model_validate(
            evidence.get(db, principal=principal, document_id=document_id)
        )

    @get(
        "/content",
        sync_to_thread=True,
        opt={RESPONSE_MEDIA_TYPES: sorted({t.split(";")[0] for t in sniffing.EXTENSIONS})},
    )
    def download(
        self, document_id: PathId, db: NamedDependency[Session], principal: Caller
    ) -> Response[bytes]:
        """The stored bytes, as an attachment, with the type read from them at upload; the
        browser must not guess another (`nosniff`)."""
        document = evidence.get(db, principal=principal, document_id=document_id)
        return Response(
            document.content,
            media_type=document.content_type.split(";")[0],
            headers={
                "ETag": f'"{document.sha256}"',
                "X-Content-SHA256": document.sha256,
                "X-Content-Type-Options": "nosniff",
                "Content-Disposition": f'attachment; filename="{document.filename}"',
            },
        )
