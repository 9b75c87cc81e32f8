"""Founding the demo pool through the real services (`scheduler/demo/command.py` runs this
on 1 to 12 December of the year before): the administrator and auditor, every planned organisation
with one user, the pool and its members, the terms and the open licence, then each
contributor's patents submitted by CSV and evaluated."""

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from argon2 import PasswordHasher
from sqlmodel import Session

from pool.auth import Principal
from pool.models.licensing import OfferCreate, TermsCreate
from pool.models.membership import MembershipCreate
from pool.models.organisation import OrganisationCreate
from pool.models.patent import Grade, PatentAccept, PatentReject
from pool.models.pool import AllocationMethod, PoolCreate, PoolStatus, PoolUpdate, TechnologyField
from pool.models.user import Role, UserCreate
from pool.services import accounts, audit, pools
from pool.services.accounts import organisations
from pool.services.licensing import offers, terms
from pool.services.patents import csv_import as patent_import
from pool.services.patents import evaluation
from pool.services.pools import memberships
from pool.settings import Settings
from scheduler.demo.patents import SECTIONS
from scheduler.demo.records import (
    ADMIN_EMAIL,
    AUDITOR_EMAIL,
    CURRENCY,
    DEMO_PASSWORD,
    Plan,
    pool_name,
)
from scheduler.demo.terms import TERMS

SYSTEM = audit.Actor.system("demo")


class OnceHasher(PasswordHasher):
    """Every demo user has the demo password: hash it once and reuse the hash (argon2 costs
    about 0.1 s a time; 230 users would cost half a minute)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib
        )
        self._hashes: dict[str | bytes, str] = {}

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        if password not in self._hashes:
            self._hashes[password] = super().hash(password, salt=salt)
        return self._hashes[password]


@dataclass
class Built:
    """What the plan made in the database, and the principals the demo acts as."""

    pool_id: int
    admin: Principal
    orgs: dict[str, int]  # plan key -> organisation id
    users: dict[str, Principal]  # plan key -> the organisation's user
    terms: dict[str, int]  # deal -> terms id
    offer_id: int = 0
    evaluators: list[Principal] = field(default_factory=list)  # the agency's


def principal(user_id: int, email: str, role: Role, organisation_id: int | None) -> Principal:
    return Principal(
        user_id=user_id, email=email, role=role, organisation_id=organisation_id, token_id=0
    )


def _user(
    session: Session,
    hasher: PasswordHasher,
    email: str,
    name: str,
    role: Role,
    org: int | None,
    now: datetime,
) -> Principal:
    data = UserCreate(
        email=email, display_name=name, password=DEMO_PASSWORD, role=role, organisation_id=org
    )
    user = accounts.create_user(session, data=data, hasher=hasher, actor=SYSTEM, now=now)
    return principal(user.id or 0, user.email, role, org)


def build_pool(session: Session, the_plan: Plan, *, hasher: PasswordHasher, now: datetime) -> Built:
    """Administrator and auditor, every organisation with one user, the pool (grade-weighted,
    10 % fee, auto-approved distributions), its members, the terms and the open licence."""
    admin = _user(session, hasher, ADMIN_EMAIL, "Pool administrator", Role.ADMIN, None, now)
    _user(session, hasher, AUDITOR_EMAIL, "Auditor", Role.AUDITOR, None, now)
    built = Built(0, admin, {}, {}, {})
    everyone = [(o, Role.CONTRIBUTOR) for o in the_plan.contributors]
    everyone += [(lp.org, Role.LICENSEE) for lp in the_plan.licensees]
    for org, role in everyone:
        data = OrganisationCreate(
            name=org.name,
            kind=org.kind,
            size_class=org.size,
            country=org.country,
            uscc=org.uscc,
            tax_resident=org.withholding == 0,
            withholding_rate=org.withholding,
            language=org.language,
        )
        made = organisations.create(session, data=data, actor=SYSTEM, now=now)
        built.orgs[org.key] = made.id or 0
        contact = "licensing" if role == Role.LICENSEE else "technology transfer"
        built.users[org.key] = _user(
            session, hasher, org.email, f"{org.name} ({contact})", role, made.id, now
        )
    built.pool_id = _pool(session, admin, the_plan, built, now)
    _terms_and_offer(session, built, the_plan.year, now)
    return built


def _pool(session: Session, admin: Principal, the_plan: Plan, built: Built, now: datetime) -> int:
    created = pools.create(
        session,
        principal=admin,
        data=PoolCreate(
            name=pool_name(the_plan.year),
            technology_field=TechnologyField.ICT_MANUFACTURING,
            standard="AVS3 (GB/T 33475.2)",
            currency=CURRENCY,
            admin_fee_rate=Decimal("0.10"),
            allocation_method=AllocationMethod.GRADE_WEIGHTED,
            allocation_parameters={"grade_points": {"A": "4", "B": "3", "C": "2", "D": "1"}},
            auto_approve_distributions=True,
        ),
        now=now,
    )
    pool_id = created.id or 0
    pools.update(
        session, principal=admin, pool_id=pool_id, data=PoolUpdate(status=PoolStatus.OPEN), now=now
    )
    for org in the_plan.contributors:
        memberships.join(
            session,
            principal=admin,
            pool_id=pool_id,
            data=MembershipCreate(
                organisation_id=built.orgs[org.key],
                joined_on=now.date(),
                agreement_version=f"pool-{the_plan.year}",
            ),
            now=now,
        )
    return pool_id


def _terms_and_offer(session: Session, built: Built, year: int, now: datetime) -> None:
    for deal, (royalty, payment) in TERMS.items():
        royalty = {**royalty, "terms_version": royalty["terms_version"].format(year=year)}
        made = terms.create(
            session,
            principal=built.admin,
            pool_id=built.pool_id,
            data=TermsCreate(royalty_terms=royalty, payment_terms=payment),
            now=now,
        )
        built.terms[deal] = made.id or 0
    offer = offers.publish(
        session,
        principal=built.admin,
        pool_id=built.pool_id,
        data=OfferCreate(
            terms_id=built.terms["open"],
            term_months=36,
            jurisdiction="CN",
            payment_method="bank_transfer",
        ),
        now=now,
    )
    built.offer_id = offer.id or 0


def submit_patents(
    session: Session, built: Built, the_plan: Plan, *, owner: str, now: datetime
) -> list[int]:
    """One contributor's patents, submitted by its own user as a CSV file (all or nothing)."""
    mine = [p for p in the_plan.patents if p.owner == owner]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = ["number", "country", "family_id", "title", "filing_date", "grant_date"]
    writer.writerow([*columns, "expiry_date", "standard_sections"])
    sections = random.Random(f"{the_plan.seed}:sections:{owner}")
    for p in mine:
        cited = ";".join(sorted(sections.sample(SECTIONS, 2)))
        row = [p.number, p.country or "", p.family, p.title, p.filed, p.granted, p.expires]
        writer.writerow([*row, cited])
    result = patent_import.import_csv(
        session,
        principal=built.users[owner],
        pool_id=built.pool_id,
        content=out.getvalue().encode(),
        now=now,
    )
    return result.patent_ids


def evaluate(
    session: Session,
    built: Built,
    patent_id: int,
    outcome: str,
    *,
    admitted_on: date,
    now: datetime,
) -> None:
    """The evaluator's decision: a grade (admitted from `admitted_on`), a rejection, or
    none yet."""
    if outcome == "pending":
        return
    evaluation.start_evaluation(session, principal=built.admin, patent_id=patent_id, now=now)
    if outcome == "rejected":
        evaluation.reject(
            session,
            principal=built.admin,
            patent_id=patent_id,
            data=PatentReject(reason="claims not essential to the AVS3 sections named"),
            now=now,
        )
        return
    data = PatentAccept(grade=Grade(outcome), admitted_on=admitted_on)
    evaluation.accept(session, principal=built.admin, patent_id=patent_id, data=data, now=now)
