"""The page-handler pattern every web controller follows.

A handler takes the request, the viewer (or the signed-in `principal`) and the session, calls
one or two services (the same ones the API calls) and returns `page(...)`. A form handler
catches the domain error its service raises and re-renders the form with `FormErrors.of(error)`
and the error's status; on success it redirects (303), so a reload never posts twice.
Everything the layout needs (language, CSRF token, role-aware menu) is added here.
"""

from dataclasses import dataclass, field
from typing import Any

from litestar import MediaType, Request, Response
from litestar.response import Redirect

from pool.auth import Principal
from pool.errors import DomainError, InvalidInput
from pool.rendering import render_in
from pool.web import nav
from pool.web.locale import LANGUAGES, request_locale, tag
from pool.web.security import CSRF_FIELD, csrf_token


@dataclass(frozen=True)
class FormErrors:
    """What a refused form shows: messages per field, and those about the whole form.
    Messages are the services' own (English msgids); templates translate them."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, error: DomainError) -> "FormErrors":
        if not isinstance(error, InvalidInput) or not error.errors:
            return cls(general=[error.detail])
        fields: dict[str, list[str]] = {}
        general: list[str] = []
        for fault in error.errors:
            if fault.field and fault.line is None:
                fields.setdefault(fault.field.split(".")[0], []).append(fault.message)
            else:
                general.append(fault.message)
        return cls(fields=fields, general=general)

    @classmethod
    def message(cls, text: str) -> "FormErrors":
        return cls(general=[text])

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)

    def on(self, name: str) -> list[str]:
        return self.fields.get(name, [])


NO_ERRORS = FormErrors()


MIB = 1024 * 1024


def layout(
    request: Request[Any, Any, Any], viewer: Principal | None, locale: str
) -> dict[str, Any]:
    """What `base.html.j2` reads on every page."""
    query = request.url.query
    limit = int(getattr(request.app.state.get("settings"), "max_upload_bytes", 0))
    return {
        "html_lang": tag(locale),
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request),
        "viewer": viewer,
        "role_label": nav.ROLE_LABELS[viewer.role] if viewer else "",
        "menu": nav.menu(viewer),
        "languages": LANGUAGES,
        "here": request.url.path + (f"?{query}" if query else ""),
        # file inputs carry it: the browser refuses a larger file before sending it (app.js)
        "upload_limit": limit,
        "upload_limit_mib": f"{limit / MIB:g}",
    }


def page(
    request: Request[Any, Any, Any],
    template: str,
    viewer: Principal | None,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response[str]:
    """Render `templates/<template>` in the request's language inside the layout."""
    locale = request_locale(request)
    html = render_in(locale, template, **layout(request, viewer, locale), **context)
    return Response(html, status_code=status, media_type=MediaType.HTML, headers=headers)


def redirect(to: str) -> Redirect:
    """See other: the browser GETs `to` (after a form post, a login, a language switch)."""
    return Redirect(to, status_code=303)
