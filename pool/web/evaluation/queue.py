"""The evaluator's pages: their queue (the patents assigned to them, nothing else), a
patent's evaluation record with its evidence (claim charts with version and sections, granted
text, translations) and downloads, the finding form for an assigned evaluator, and the owner's
upload of evidence. Every read goes through the evaluation services, which answer 404 for a
patent outside the viewer's scope, so these pages show exactly what the API shows."""

from datetime import datetime
from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.errors import DomainError, InvalidInput
from pool.models.evaluation import EvidenceKind
from pool.models.patent import Grade, PatentStatus, Tier
from pool.models.user import Role
from pool.services.patents import evidence, findings
from pool.settings import Settings
from pool.unit_of_work import FormRefusal
from pool.web.admin import views as av
from pool.web.challenges import forms as challenge_forms
from pool.web.evaluation import forms, views
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

Stage = Annotated[str | None, QueryParameter(name="state", max_length=20)]
Done = Annotated[str | None, QueryParameter(name="done", max_length=20)]
Late = Annotated[str | None, QueryParameter(name="overdue", max_length=3)]
FormBody = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
UploadBody = Annotated[forms.EvidenceForm, Body(media_type=RequestEncodingType.MULTI_PART)]
OPEN = {PatentStatus.SUBMITTED, PatentStatus.UNDER_EVALUATION}


def _patent_page(
    request: Request[Any, Any, Any],
    db: Session,
    viewer: Principal,
    now: datetime,
    patent_id: int,
    *,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
    done: str | None = None,
) -> Response[str]:
    record = views.record(db, viewer, patent_id)
    documents = views.documents(db, viewer, patent_id)
    mine = [a for a in record.assignments if a.evaluator_user_id == viewer.user_id]
    found = {f.assignment_id for f in record.findings}
    may_find = viewer.role == Role.EVALUATOR and any(a.id not in found for a in mine)
    may_upload = record.patent.status in OPEN and (
        viewer.role == Role.ADMIN
        or (viewer.role == Role.CONTRIBUTOR
            and viewer.organisation_id == record.patent.owner_organisation_id)
    )  # fmt: skip
    return page(
        request, "web/evaluation/patent.html.j2", viewer, status=status, record=record,
        patent=record.patent, documents=documents, errors=errors, done=done,
        charts=[d for d in documents if d.kind == EvidenceKind.CLAIM_CHART],
        may_find=may_find, may_upload=may_upload, today=now.date(),
        grades=[g.value for g in Grade], tiers=[t.value for t in Tier],
        kinds=views.KIND_LABELS, state_label=views.STATE_LABELS,
        status_label=av.PATENT_STATUS_LABELS,
        own_findings=[f for f in record.findings if f.evaluator_user_id == viewer.user_id],
        values=request.query_params,
    )  # fmt: skip


class EvaluatorController(Controller):
    path = "/evaluation"
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def evaluation_queue(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
        stage: Stage = None,
        done: Done = None,
        late: Late = None,
    ) -> Response[str]:
        """The evaluator's queue: the patents assigned to them with where each stands, the
        dates assigned and due (the soonest due first, overdue ones marked), and whether they
        have recorded their finding (`state` narrows; `overdue=1`: only those overdue)."""
        chosen = stage if stage in views.STATE_LABELS else None
        overdue = late == "1"
        return page(
            request, "web/evaluation/queue.html.j2", principal, overdue=overdue,
            rows=views.queue(db, principal, chosen, now.date(), overdue=overdue),
            state=chosen, done=done, today=now.date(),
            challenges=views.challenges_to_reevaluate(db, principal),
            challenge_states=challenge_forms.STATE_LABELS,
            states=list(views.STATE_LABELS.items()), status_label=av.PATENT_STATUS_LABELS,
            state_label=views.STATE_LABELS,
        )  # fmt: skip

    @get("/patents/{patent_id:int}", sync_to_thread=True)
    def evaluation_patent(
        self,
        request: Request[Any, Any, Any],
        patent_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
        done: Done = None,
    ) -> Response[str]:
        """One patent's evaluation record and evidence, with the finding form for an assigned
        evaluator who has not recorded theirs, and the upload form for its owner."""
        return _patent_page(request, db, principal, now, patent_id, done=done)

    @post("/patents/{patent_id:int}/finding", sync_to_thread=True)
    def record_finding(
        self,
        request: Request[Any, Any, Any],
        patent_id: PathId,
        data: FormBody,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Record the evaluator's finding (`findings.record`, as the API): refused input is
        shown next to its field and nothing is saved."""
        patent = views.record(db, principal, patent_id).patent
        try:
            finding = forms.finding(data, list(patent.standard_sections))
            findings.record(db, principal=principal, patent_id=patent_id, data=finding, now=now)
        except DomainError as error:
            raise FormRefusal(partial(
                _patent_page, request, db, principal, now, patent_id,
                errors=FormErrors.of(error), status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/evaluation/patents/{patent_id}?done=finding")

    @post("/patents/{patent_id:int}/evidence", sync_to_thread=True)
    def upload_evidence(
        self,
        request: Request[Any, Any, Any],
        patent_id: PathId,
        data: UploadBody,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        settings: NamedDependency[Settings],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """File a document (`evidence.upload`, as the API): its type is read from its content;
        a wrong type, an oversize or a duplicate file is refused and nothing is stored."""
        try:
            meta = evidence.parse_form(
                kind=data.kind, title=data.title, version_label=data.version_label,
                standard_sections=data.standard_sections,
            )  # fmt: skip
            if data.file is None or not data.file.filename:
                raise InvalidInput.field("file", "choose a file to upload")
            evidence.upload(
                db, principal=principal, patent_id=patent_id, meta=meta,
                filename=data.file.filename, limit=settings.max_upload_bytes, now=now,
                content=data.file.file.read(settings.max_upload_bytes + 1),
            )  # fmt: skip
        except DomainError as error:
            raise FormRefusal(partial(
                _patent_page, request, db, principal, now, patent_id,
                errors=FormErrors.of(error), status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/evaluation/patents/{patent_id}?done=filed")

    @get("/evidence/{document_id:int}/download", sync_to_thread=True)
    def evidence_download(
        self,
        document_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
    ) -> Response[bytes]:
        """The stored bytes as an attachment, for those who may read the patent's evidence."""
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
