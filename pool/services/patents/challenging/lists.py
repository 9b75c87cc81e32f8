"""The challenge list as the portal shows it: the challenges the caller may read
(`challenges.scoped`: staff every one, a challenger its own, an owner those against its
patents, a re-evaluator those assigned to them), searched by patent number or title or the
challenger's name, narrowed by `state` and `ground`, sorted and paged as every house list."""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.models.evaluation import Challenge, ChallengeRead
from pool.models.organisation import Organisation
from pool.models.patent import Patent
from pool.models.user import User
from pool.services.common.listing import ListQuery, run
from pool.services.common.pages import Page
from pool.services.patents import challenges


@dataclass(frozen=True)
class ChallengeRow:
    challenge: ChallengeRead
    patent_number: str
    patent_title: str
    challenger: str  # the challenging organisation's name
    reevaluator: str | None  # the re-evaluator's name


SORTS: dict[str, list[Any]] = {
    "filed": [col(Challenge.filed_on)],
    "patent": [col(Patent.number)],
    "state": [col(Challenge.state)],
}


def listing(session: Session, *, principal: Principal, spec: ListQuery) -> Page[ChallengeRow]:
    query = challenges.scoped(
        select(Challenge)
        .join(Patent, col(Patent.id) == Challenge.patent_id)
        .join(Organisation, col(Organisation.id) == Challenge.challenger_organisation_id),
        principal,
    )
    if state := spec.filter("state"):
        query = query.where(Challenge.state == state)
    if ground := spec.filter("ground"):
        query = query.where(Challenge.ground == ground)
    return run(
        session, query, spec,
        search=[col(Patent.number), col(Patent.title), col(Organisation.name)],
        sorts=SORTS, default="-filed", tie_break=col(Challenge.id),
        convert=lambda c: row(session, c),
    )  # fmt: skip


def row(session: Session, challenge: Challenge) -> ChallengeRow:
    patent = session.get(Patent, challenge.patent_id)
    challenger = session.get(Organisation, challenge.challenger_organisation_id)
    assert patent is not None  # a foreign key
    assert challenger is not None  # a foreign key
    reevaluator = (
        session.get(User, challenge.reevaluator_user_id) if challenge.reevaluator_user_id else None
    )
    return ChallengeRow(
        challenge=challenges.read(session, challenge),
        patent_number=patent.number,
        patent_title=patent.title,
        challenger=challenger.name,
        reevaluator=reevaluator.display_name if reevaluator else None,
    )


def one(session: Session, *, principal: Principal, challenge_id: int) -> ChallengeRow:
    """The challenge as a row, when the caller may read it (else not found)."""
    return row(session, challenges.get(session, principal=principal, challenge_id=challenge_id))
