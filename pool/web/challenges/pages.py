"""The challenge pages (`/challenges`). Everyone signed in opens the list, which the service
scopes (staff every challenge, a challenger its own, an owner those against its patents, a
re-evaluator those assigned to them); a challenge outside it is not found (404). Filing is a
licensee's or a contributor's (404 for other roles); assigning and closing are the
administrator's (403 for others who may read the challenge), recording the finding the
re-evaluator's. Every write goes through the services the API calls, so the same refusals
apply; a refused form shows them by its fields and nothing is stored."""

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
from pool.errors import DomainError, InvalidInput, NotFound
from pool.models.user import Role
from pool.services.patents import challenge_documents, challenge_outcomes, challenges
from pool.services.patents.challenging import choices, lists
from pool.settings import Settings
from pool.unit_of_work import FormRefusal
from pool.web.challenges import forms, steps
from pool.web.challenges.detail import detail_page
from pool.web.i18n import N_
from pool.web.lists import read_list
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

BASE = "/challenges"
FILERS = (Role.LICENSEE, Role.CONTRIBUTOR)
CONFIRMED = "close"
NOT_YOUR_POOL = N_("choose one of your pools")
Text = Annotated[str, QueryParameter(max_length=200)]
Done = Annotated[str | None, QueryParameter(name="done", max_length=20)]
FormBody = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
FileBody = Annotated[forms.FileForm, Body(media_type=RequestEncodingType.MULTI_PART)]
DocumentBody = Annotated[forms.DocumentForm, Body(media_type=RequestEncodingType.MULTI_PART)]


def _filer(principal: Principal) -> Principal:
    if principal.role not in FILERS:
        raise NotFound("not found")
    return principal


def _form_page(
    request: Request[Any, Any, Any],
    db: Session,
    principal: Principal,
    now: datetime,
    typed: dict[str, str],
    *,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
) -> Response[str]:
    mine = choices.pools_to_file_in(db, _filer(principal))
    return page(
        request, "web/challenges/form.html.j2", principal, status=status, pools=mine,
        typed=typed, errors=errors, today=now.date().isoformat(),
        grounds=forms.GROUND_LABELS,
    )  # fmt: skip


class ChallengeController(Controller):
    path = BASE
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def challenge_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
    ) -> Response[str]:
        """The challenges the viewer may read (`q`, `state`, `ground`, `sort`, `page`)."""
        lst = read_list(request, forms.LIST)
        found = lists.listing(db, principal=principal, spec=lst.query)
        return page(
            request, "web/challenges/list.html.j2", principal, lst=lst, rows=found,
            states=forms.STATE_LABELS, grounds=forms.GROUND_LABELS,
            outcomes=forms.OUTCOME_LABELS, may_file=principal.role in FILERS,
        )  # fmt: skip

    @get("/new", sync_to_thread=True)
    def challenge_form(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
        pool: Text = "",
        number: Text = "",
    ) -> Response[str]:
        """The filing form (licensees and contributors), its patent filled in from a link."""
        return _form_page(request, db, principal, now, {"pool": pool, "number": number})

    @post("/new", sync_to_thread=True)
    def file_challenge(
        self,
        request: Request[Any, Any, Any],
        data: FileBody,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        settings: NamedDependency[Settings],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """File the challenge and its documents (`challenges.file`, `challenge_documents.
        upload`, as the API), in one transaction: any refusal stores nothing."""
        _filer(principal)
        try:
            mine = choices.pools_to_file_in(db, principal)
            wanted = data.pool.strip() or (str(mine[0].id) if len(mine) == 1 else "")
            pool = next((p for p in mine if str(p.id) == wanted), None)
            if pool is None:
                raise InvalidInput.field("pool", NOT_YOUR_POOL)
            patent = choices.admitted_patent(db, pool_id=pool.id or 0, number=data.number)
            created = forms.filing(data)
            challenge = challenges.file(
                db, principal=principal, patent_id=patent.id or 0, data=created, now=now
            )
            steps.uploaded(db, principal, challenge.id or 0, data.file, settings, now)
        except DomainError as error:
            raise FormRefusal(partial(
                _form_page, request, db, principal, now, data.typed(),
                errors=FormErrors.of(error), status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"{BASE}/{challenge.id}?done=filed")

    @get("/{challenge_id:int}", sync_to_thread=True)
    def challenge_page(
        self,
        request: Request[Any, Any, Any],
        challenge_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
        done: Done = None,
    ) -> Response[str]:
        """The challenge, its documents, the finding and the outcome, with the forms the
        viewer may use now."""
        return detail_page(request, db, principal, now, challenge_id, done=done)

    @post("/{challenge_id:int}/documents", sync_to_thread=True)
    def add_documents(
        self,
        request: Request[Any, Any, Any],
        challenge_id: PathId,
        data: DocumentBody,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        settings: NamedDependency[Settings],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """More documents for an open challenge (its challenger or an administrator)."""
        challenges.get(db, principal=principal, challenge_id=challenge_id)
        try:
            steps.uploaded(db, principal, challenge_id, data.file, settings, now)
        except DomainError as error:
            raise self._refused(request, db, principal, now, challenge_id, error) from error
        return redirect(f"{BASE}/{challenge_id}?done=documents")

    @post("/{challenge_id:int}/assign", sync_to_thread=True)
    def assign_reevaluator(
        self,
        request: Request[Any, Any, Any],
        challenge_id: PathId,
        data: FormBody,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Assign the re-evaluator (administrators; never one who made the original
        finding, never the owner's staff)."""
        challenges.get(db, principal=principal, challenge_id=challenge_id)
        try:
            chosen = forms.assignment(data)
            challenges.assign(
                db, principal=principal, challenge_id=challenge_id, data=chosen, now=now
            )
        except DomainError as error:
            raise self._refused(request, db, principal, now, challenge_id, error) from error
        return redirect(f"{BASE}/{challenge_id}?done=assigned")

    @post("/{challenge_id:int}/finding", sync_to_thread=True)
    def record_finding(
        self,
        request: Request[Any, Any, Any],
        challenge_id: PathId,
        data: FormBody,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """The re-evaluator's finding, once."""
        challenge = challenges.get(db, principal=principal, challenge_id=challenge_id)
        try:
            found = forms.finding(data, choices.sections(db, challenge))
            challenge_outcomes.record_finding(
                db, principal=principal, challenge_id=challenge_id, data=found, now=now
            )
        except DomainError as error:
            raise self._refused(request, db, principal, now, challenge_id, error) from error
        return redirect(f"{BASE}/{challenge_id}?done=finding")

    @post("/{challenge_id:int}/close", sync_to_thread=True)
    def close_challenge(
        self,
        request: Request[Any, Any, Any],
        challenge_id: PathId,
        data: FormBody,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Close with a dated outcome (administrators). The first post says what it does, in
        words; the confirmed one (`confirm=close`) closes."""
        challenges.get(db, principal=principal, challenge_id=challenge_id)
        try:
            principal.require_admin()
            closing = forms.outcome(data)
            if forms.first_of(data, "confirm") != CONFIRMED:
                steps.dry_run(db, principal, challenge_id, closing, now)  # refuses as it would
                return page(
                    request, "web/challenges/close_confirm.html.j2", principal,
                    row=lists.one(db, principal=principal, challenge_id=challenge_id),
                    closing=closing, confirm=CONFIRMED, outcomes=forms.OUTCOME_LABELS,
                    ends=forms.END_LABELS,
                )  # fmt: skip
            challenge_outcomes.close(
                db, principal=principal, challenge_id=challenge_id, data=closing, now=now
            )
        except DomainError as error:
            raise self._refused(request, db, principal, now, challenge_id, error) from error
        return redirect(f"{BASE}/{challenge_id}?done=closed")

    @get("/documents/{document_id:int}/download", sync_to_thread=True)
    def challenge_document(
        self,
        document_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
    ) -> Response[bytes]:
        """The stored bytes as an attachment, for those who may read the challenge."""
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

    @staticmethod
    def _refused(
        request: Request[Any, Any, Any],
        db: Session,
        principal: Principal,
        now: datetime,
        challenge_id: int,
        error: DomainError,
    ) -> FormRefusal:
        return FormRefusal(partial(
            detail_page, request, db, principal, now, challenge_id,
            errors=FormErrors.of(error), status=error.status_code,
        ))  # fmt: skip
