"""The signed-in landing page and the user's organisation."""

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from sqlmodel import Session

from pool.auth import Principal
from pool.services import pools
from pool.services.accounts import organisations
from pool.web import nav, views
from pool.web.pages import page


def _own_organisation(db: Session, principal: Principal) -> views.OrganisationView | None:
    """Staff (administrators, auditors) belong to no organisation."""
    if principal.organisation_id is None:
        return None
    org = organisations.get(db, principal=principal, organisation_id=principal.organisation_id)
    return views.organisation(org)


class HomeController(Controller):
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def home(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
    ) -> Response[str]:
        """What the user's role has here, their organisation, and the open pools."""
        return page(
            request,
            "web/home.html.j2",
            principal,
            organisation=_own_organisation(db, principal),
            sections=[item for item in nav.for_viewer(principal) if item.href != "/"],
            pools=pools.listing(db, status="open", limit=100, offset=0).items,
        )

    @get("/organisation", sync_to_thread=True)
    def organisation(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
    ) -> Response[str]:
        """The user's own organisation (the service scopes it: never another's)."""
        return page(
            request,
            "web/organisation.html.j2",
            principal,
            organisation=_own_organisation(db, principal),
        )
