"""Finding an evaluator to assign by a few letters of their name, e-mail or agency: what the
administrator's type-ahead offers on a patent's evaluation page, and how what was typed is read
back to one evaluator. Only active users with the evaluator role, never the patent owner's own
staff nor those already assigned; staff only, like every list of users. A typed name that fits
none of them but names one of the owner's staff is refused with the reason (an evaluator is
independent), as `patents.assignments` would refuse the assignment."""

import re
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import InvalidInput
from pool.models.organisation import Organisation
from pool.models.user import Role, User

PICKED = re.compile(r"\(#(\d{1,18})\)\s*$")  # "Name (#12)": what the type-ahead fills in
OWN_STAFF = "this user is the owner's own staff: an evaluator is independent"


@dataclass(frozen=True)
class Evaluator:
    id: int
    display_name: str
    email: str
    agency: str  # the evaluation agency's name ("" without one)

    @property
    def label(self) -> str:
        """The text a suggestion fills in, read back exactly by `one`."""
        return f"{self.display_name} (#{self.id})"


def _matching(text: str) -> ColumnElement[bool]:
    return or_(
        col(User.display_name).icontains(text, autoescape=True),
        col(User.email).icontains(text, autoescape=True),
        col(Organisation.name).icontains(text, autoescape=True),
    )


def search(
    session: Session,
    *,
    principal: Principal,
    text: str,
    owner_organisation_id: int,
    exclude: Collection[int],
    limit: int,
) -> list[Evaluator]:
    """Active evaluators outside the owner's organisation and not in `exclude`, whose name,
    e-mail or agency contains `text` (any case), or whose id it picks; by name."""
    principal.require_staff()
    query = (
        select(User.id, User.display_name, User.email, Organisation.name)
        .join(Organisation, col(User.organisation_id) == col(Organisation.id), isouter=True)
        .where(User.role == Role.EVALUATOR.value, col(User.is_active).is_(True))
        .where(
            or_(
                col(User.organisation_id).is_(None),
                col(User.organisation_id) != owner_organisation_id,
            )
        )
    )
    if exclude:
        query = query.where(col(User.id).not_in(list(exclude)))
    wanted = text.strip()
    picked = PICKED.search(wanted)
    if picked:
        query = query.where(User.id == int(picked.group(1)))
    elif wanted:
        query = query.where(_matching(wanted))
    query = query.order_by(col(User.display_name), col(User.id)).limit(limit)
    return [
        Evaluator(int(user_id or 0), name, email, agency or "")
        for user_id, name, email, agency in session.exec(query).all()
    ]


def one(
    session: Session,
    *,
    principal: Principal,
    text: str,
    owner_organisation_id: int,
    exclude: Collection[int],
    field: str,
) -> tuple[int, list[Evaluator]]:
    """The one evaluator `text` names: (their id, []) when exactly one fits, else (0, the first
    that fit) with the choice to make as an error on `field`. A suggestion's text ("Name (#12)")
    is that user, whoever they are: the assignment then says why it is refused."""
    wanted = text.strip()
    if not wanted:
        raise InvalidInput.field(field, "this field is required")
    picked = PICKED.search(wanted)
    if picked:
        principal.require_staff()
        return int(picked.group(1)), []
    found = search(
        session, principal=principal, text=wanted, owner_organisation_id=owner_organisation_id,
        exclude=exclude, limit=21,
    )  # fmt: skip
    if len(found) == 1:
        return found[0].id, []
    if found:
        return 0, found[:20]
    own = select(User.id).where(
        User.organisation_id == owner_organisation_id,
        or_(
            col(User.display_name).icontains(wanted, autoescape=True),
            col(User.email).icontains(wanted, autoescape=True),
        ),
    )
    if session.exec(own).first() is not None:
        raise InvalidInput.field(field, OWN_STAFF)
    if exclude and search(
        session, principal=principal, text=wanted, owner_organisation_id=owner_organisation_id,
        exclude=(), limit=1,
    ):  # fmt: skip
        raise InvalidInput.field(field, "this evaluator is already assigned to this patent")
    raise InvalidInput.field(field, "no evaluator has this name, e-mail or agency")


def names(session: Session, *, principal: Principal, user_ids: Collection[int]) -> dict[int, str]:
    """The display names of the given users (the evaluators assigned to a patent)."""
    principal.require_staff()
    if not user_ids:
        return {}
    query = select(User.id, User.display_name).where(col(User.id).in_(list(user_ids)))
    return {int(user_id or 0): name for user_id, name in session.exec(query).all()}
