"""What the challenge forms offer: the pools a licensee or contributor may file a challenge
in (a licence it holds, a membership it has), the admitted patent a typed number names in a
pool, the patent's standard sections, and the evaluators who may re-evaluate a challenge
(active, and none who made an original finding on the patent)."""

from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import InvalidInput
from pool.models.evaluation import Challenge, EvaluationFinding
from pool.models.licensing import LicenceAgreement
from pool.models.membership import Membership
from pool.models.patent import Patent, PatentStatus
from pool.models.pool import Pool
from pool.models.user import Role, User
from pool.services.patents.challenges import LICENSED


def pools_to_file_in(session: Session, principal: Principal) -> list[Pool]:
    """The pools whose patents the caller may challenge, by name (none for other roles)."""
    org = principal.organisation_id
    if org is None:
        return []
    if principal.role == Role.LICENSEE:
        ids = select(LicenceAgreement.pool_id).where(
            LicenceAgreement.licensee_organisation_id == org,
            col(LicenceAgreement.state).in_(LICENSED),
        )
    elif principal.role == Role.CONTRIBUTOR:
        ids = select(Membership.pool_id).where(
            Membership.organisation_id == org, col(Membership.withdrawn_on).is_(None)
        )
    else:
        return []
    return list(session.exec(select(Pool).where(col(Pool.id).in_(ids)).order_by(col(Pool.name))))


def admitted_patent(session: Session, *, pool_id: int, number: str) -> Patent:
    """The pool's admitted patent with this number (any case, spaces ignored); else a fault
    on the `number` field."""
    wanted = "".join(number.split()).casefold()
    found = session.exec(
        select(Patent).where(
            Patent.pool_id == pool_id,
            Patent.status == PatentStatus.ACCEPTED,
            func.lower(Patent.number) == wanted,
        )
    ).first()
    if not wanted:
        raise InvalidInput.field("number", "type the patent's number")
    if found is None:
        raise InvalidInput.field(
            "number", "not an admitted patent of this pool: type its number as listed"
        )
    return found


def sections(session: Session, challenge: Challenge) -> list[str]:
    patent = session.get(Patent, challenge.patent_id)
    return list(patent.standard_sections) if patent else []


def reevaluators(session: Session, challenge: Challenge) -> list[User]:
    """Active evaluators who made no original finding on the challenged patent, by name."""
    original = select(EvaluationFinding.evaluator_user_id).where(
        EvaluationFinding.patent_id == challenge.patent_id
    )
    return list(
        session.exec(
            select(User)
            .where(
                User.role == Role.EVALUATOR,
                col(User.is_active).is_(True),
                col(User.id).not_in(original),
            )
            .order_by(col(User.display_name), col(User.id))
        )
    )
