"""Type-ahead suggestions for the forms that name one of many things: a pool's licensees
and organisations (administrators and auditors only, as every list of them), a pool's patents
in force and their families (anyone signed in: the pool publishes them). Each answers at most
`SHOWN` `<option>`s for a `<datalist>`, which the form's input fills with htmx as the user
types; the form itself reads back what was typed (a name, a number), so without JavaScript
it still works: the server searches and names the matches to choose from.

The query is `q`, or the form field's own name (htmx sends the input under its name); for a
list typed as text (`numbers`, `families`) only the last item is searched and each
suggestion keeps the items before it."""

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import MAX_ID
from pool.rendering import render_in
from pool.services import patents as patent_records
from pool.services import pools
from pool.services.accounts import evaluators, organisations
from pool.services.licensing import picking
from pool.services.patents import assignments, choosing
from pool.web.locale import request_locale

SHOWN = 20
PoolId = Annotated[int, QueryParameter(name="pool", ge=1, le=MAX_ID)]
PatentId = Annotated[int, QueryParameter(name="patent", ge=1, le=MAX_ID)]
Text = Annotated[str, QueryParameter(max_length=200)]
Typed = Annotated[str, QueryParameter(max_length=4000)]
Option = tuple[str, str]  # (value filled in, label shown)


def _options(request: Request[Any, Any, Any], options: list[Option]) -> Response[str]:
    html = render_in(request_locale(request), "web/_pick_options.html.j2", options=options)
    return Response(html, media_type=MediaType.HTML, headers={"Cache-Control": "no-store"})


def _last(typed: str) -> tuple[str, str]:
    """A list typed as text, as (the items before the last, with their separator; the last)."""
    head, _, last = typed.rpartition(",")
    return (f"{head.strip()}, " if head.strip() else ""), last.strip()


class PickersController(Controller):
    path = "/pick"
    include_in_schema = False

    @get("/licensees", sync_to_thread=True)
    def licensees(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        pool_id: PoolId,
        q: Text = "",
        licensee: Text = "",
    ) -> Response[str]:
        """A pool's licensees whose name contains the text (staff)."""
        principal.require_staff()
        pools.get(db, pool_id=pool_id)
        found = picking.licensees(
            db, principal=principal, pool_id=pool_id, text=q or licensee, limit=SHOWN
        )
        return _options(request, [(picking.label(i, name), "") for i, name in found])

    @get("/organisations", sync_to_thread=True)
    def organisations(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        q: Text = "",
        organisation: Text = "",
        supplier: Text = "",
        counterparty: Text = "",
    ) -> Response[str]:
        """Organisations whose name contains the text (staff); the deal form's fields
        (`supplier`, `counterparty`) send theirs under their own names."""
        text = q or organisation or supplier or counterparty
        found = organisations.search(db, principal=principal, text=text, kind=None, limit=SHOWN)
        return _options(request, [(picking.label(o.id or 0, o.name), "") for o in found])

    @get("/patents", sync_to_thread=True)
    def patents(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
        pool_id: PoolId,
        q: Text = "",
        numbers: Typed = "",
        number: Text = "",
    ) -> Response[str]:
        """A pool's patents in force whose number or title contains the text (`numbers`: a
        list typed as text; `number`: one, as the challenge form names it)."""
        pools.get(db, pool_id=pool_id)
        head, last = ("", q or number) if q or number else _last(numbers)
        found = choosing.search(db, pool_id=pool_id, on=now.date(), text=last, limit=SHOWN)
        return _options(
            request, [(head + p.number, f"{p.number} ({p.country}) {p.title}") for p in found]
        )

    @get("/families", sync_to_thread=True)
    def families(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
        pool_id: PoolId,
        q: Text = "",
        families: Typed = "",
    ) -> Response[str]:
        """Families of a pool's patents in force whose id contains the text."""
        pools.get(db, pool_id=pool_id)
        head, last = ("", q) if q else _last(families)
        found = choosing.families(db, pool_id=pool_id, on=now.date(), text=last, limit=SHOWN)
        return _options(request, [(head + g.key, str(g.count)) for g in found])

    @get("/evaluators", sync_to_thread=True)
    def evaluators(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        patent_id: PatentId,
        q: Text = "",
        evaluator: Text = "",
    ) -> Response[str]:
        """Evaluators whose name, e-mail or agency contains the text, who may be assigned to
        the patent (staff): each suggestion shows the e-mail and the agency."""
        principal.require_staff()
        patent = patent_records.get(db, principal=principal, patent_id=patent_id)
        found = evaluators.search(
            db, principal=principal, text=q or evaluator,
            owner_organisation_id=patent.owner_organisation_id,
            exclude={a.evaluator_user_id for a in assignments.assignments_of(db, patent_id)},
            limit=SHOWN,
        )  # fmt: skip
        return _options(
            request, [(e.label, " · ".join(p for p in (e.email, e.agency) if p)) for e in found]
        )
