"""The licence contract of one of the licensee's agreements, as the document the API serves
(`agreements.document`), in the page's language. Another organisation's agreement is 404."""

from datetime import datetime
from typing import Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.services.licensing import agreements
from pool.web.licensee import views as lv
from pool.web.locale import request_locale, tag


class LicenseeContractController(Controller):
    path = "/licensee"
    include_in_schema = False
    dependencies = lv.licensee_only()

    @get("/agreements/{agreement_id:int}/contract", sync_to_thread=True)
    def contract(
        self,
        request: Request[Any, Any, Any],
        agreement_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[str]:
        """The contract document (Chinese or English, as the page), printable as it is."""
        lang = "zh-CN" if tag(request_locale(request)) == "zh-CN" else "en"
        html = agreements.document(
            db, principal=principal, agreement_id=agreement_id, lang=lang, now=now
        )
        return Response(html, media_type=MediaType.HTML)
