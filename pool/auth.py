"""Who is calling: the principal behind a bearer token, and the role checks services use."""

from dataclasses import dataclass
from datetime import datetime

from pool.errors import Forbidden, NotFound
from pool.models.user import Role
from pool.rendering import Phrase


@dataclass(frozen=True)
class BearerCredentials:
    """The API caller's token as read from the request, on the event loop and without the
    database. `pool.unit_of_work` resolves it to the `Principal` inside the handler's own
    thread and transaction, before the handler runs (a bad token is 401 there): one thread
    and one transaction per request instead of two. Handlers only ever see the Principal."""

    raw_token: str
    at: datetime


@dataclass(frozen=True)
class Principal:
    user_id: int
    email: str
    role: Role
    organisation_id: int | None
    token_id: int

    @property
    def sees_everything(self) -> bool:
        """Administrators and auditors read across every organisation."""
        return self.role in (Role.ADMIN, Role.AUDITOR)

    @property
    def label(self) -> str:
        return f"{self.role}:{self.email}"

    def require_admin(self) -> None:
        """Administrator-only actions. Others get 403; auditors are read-only by design."""
        if self.role != Role.ADMIN:
            raise Forbidden("only a pool administrator may do this")

    def require_staff(self) -> None:
        """Administrators and auditors only; others are told it does not exist."""
        if not self.sees_everything:
            raise NotFound("not found")

    def require_role(self, *roles: Role) -> None:
        if self.role not in roles:
            raise Forbidden(Phrase("this needs the role %(roles)s", roles=" or ".join(roles)))

    def require_staff_or_org(self, organisation_id: int | None, what: str) -> None:
        """Reading another organisation's object answers 404: we never confirm it exists."""
        if self.sees_everything:
            return
        if organisation_id is None or organisation_id != self.organisation_id:
            raise NotFound(Phrase("%(what)s not found", what=what))
