"""Challenges of an admitted patent (issue 19, docs/evaluation.md "Challenges"): filing, the
administrator's assignment of a re-evaluator, the re-evaluator's finding, the dated outcome,
and the challenge's documents."""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset, QueryId
from pool.dependencies import Caller, bearer_first
from pool.models.evaluation import (
    ChallengeAssign,
    ChallengeClose,
    ChallengeCreate,
    ChallengeDocumentRead,
    ChallengeFindingCreate,
    ChallengeRead,
)
from pool.openapi import RESPONSE_MEDIA_TYPES
from pool.services.common.pages import Page
from pool.services.patents import challenge_documents, challenge_outcomes, challenges, sniffing
from pool.settings import Settings


@dataclass
class ChallengeDocumentForm:
    """The multipart form: `file` and its `title`."""

    file: UploadFile
    title: str = ""


class PatentChallengeController(Controller):
    path = "/patents/{patent_id:int}/challenges"
    tags = ["evaluation"]

    @post("/", sync_to_thread=True)
    def file_challenge(
        self,
        patent_id: PathId,
        data: JSONBody[ChallengeCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> ChallengeRead:
        """Challenge an admitted patent's essentiality or grade (a licensee holding a licence
        of the pool, or a member contributor other than the owner)."""
        challenge = challenges.file(
            db, principal=principal, patent_id=patent_id, data=data, now=now
        )
        return challenges.read(db, challenge)


class ChallengeController(Controller):
    path = "/challenges"
    tags = ["evaluation"]

    @get("/", sync_to_thread=True)
    def list_challenges(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        patent_id: QueryId = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[ChallengeRead]:
        """The challenges the caller may read: staff all, a challenger its own, an owner those
        against its patents, a re-evaluator those assigned to them."""
        return challenges.listing(
            db, principal=principal, patent_id=patent_id, limit=limit, offset=offset
        )

    @get("/{challenge_id:int}", sync_to_thread=True)
    def challenge(
        self, challenge_id: PathId, db: NamedDependency[Session], principal: Caller
    ) -> ChallengeRead:
        """The challenge, its state, the re-evaluator's finding and the outcome."""
        return challenges.read(
            db, challenges.get(db, principal=principal, challenge_id=challenge_id)
        )

    @post("/{challenge_id:int}/assignment", sync_to_thread=True)
    def assign(
        self,
        challenge_id: PathId,
        data: JSONBody[ChallengeAssign],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> ChallengeRead:
        """Assign the re-evaluator (administrators): never one who made the original finding,
        never the owner's staff."""
        found = challenges.assign(
            db, principal=principal, challenge_id=challenge_id, data=data, now=now
        )
        return challenges.read(db, found)

    @post("/{challenge_id:int}/finding", sync_to_thread=True)
    def record_finding(
        self,
        challenge_id: PathId,
        data: JSONBody[ChallengeFindingCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> ChallengeRead:
        """The re-evaluator's finding, once."""
        challenge_outcomes.record_finding(
            db, principal=principal, challenge_id=challenge_id, data=data, now=now
        )
        return challenges.read(
            db, challenges.get(db, principal=principal, challenge_id=challenge_id)
        )

    @post("/{challenge_id:int}/outcome", sync_to_thread=True, status_code=200)
    def close(
        self,
        challenge_id: PathId,
        data: JSONBody[ChallengeClose],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> ChallengeRead:
        """Close with a dated outcome (administrators): keep, regrade from a date, or end the
        patent's inclusion from a date. Approved runs are not rewritten."""
        found = challenge_outcomes.close(
            db, principal=principal, challenge_id=challenge_id, data=data, now=now
        )
        return challenges.read(db, found)

    @post("/{challenge_id:int}/documents", sync_to_thread=True, guards=[bearer_first])
    def upload(
        self,
        challenge_id: PathId,
        data: Annotated[ChallengeDocumentForm, Body(media_type=RequestEncodingType.MULTI_PART)],
        db: NamedDependency[Session],
        principal: Caller,
        settings: NamedDependency[Settings],
        now: NamedDependency[datetime],
    ) -> ChallengeDocumentRead:
        """File a document with an open challenge (the challenger or an administrator); wrong
        type, oversize and duplicate files are refused and nothing is stored."""
        document = challenge_documents.upload(
            db,
            principal=principal,
            challenge_id=challenge_id,
            title=data.title,
            filename=data.file.filename,
            content=data.file.file.read(settings.max_upload_bytes + 1),
            limit=settings.max_upload_bytes,
            now=now,
        )
        return ChallengeDocumentRead.model_validate(document)

    @get("/{challenge_id:int}/documents", sync_to_thread=True)
    def list_documents(
        self,
        challenge_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[ChallengeDocumentRead]:
        """The challenge's documents, in the order filed."""
        return challenge_documents.listing(
            db, principal=principal, challenge_id=challenge_id, limit=limit, offset=offset
        )


class ChallengeDocumentController(Controller):
    path = "/challenge-documents/{document_id:int}"
    tags = ["evaluation"]

    @get(
        "/content",
        sync_to_thread=True,
        opt={RESPONSE_MEDIA_TYPES: sorted({t.split(";")[0] for t in sniffing.EXTENSIONS})},
    )
    def download(
        self, document_id: PathId, db: NamedDependency[Session], principal: Caller
    ) -> Response[bytes]:
        """The stored bytes, as an attachment, with the type read from them at upload."""
        document = challenge_documents.get(db, principal=principal, document_id=document_id)
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
