"""A small sample pool for `patentpool demo`, built through the real services."""

import json
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, select

from pool.auth import Principal
from pool.models.membership import MembershipCreate
from pool.models.organisation import OrganisationCreate, OrganisationKind, SizeClass
from pool.models.patent import (
    Grade,
    PatentAccept,
    PatentCreate,
    PatentEnd,
    PatentReject,
    PatentStatus,
)
from pool.models.pool import (
    AllocationMethod,
    Pool,
    PoolCreate,
    PoolStatus,
    PoolUpdate,
    TechnologyField,
)
from pool.models.user import Role, UserCreate
from pool.services import accounts, audit, evaluation, memberships, organisations, patents, pools
from pool.settings import Settings

SAMPLE_POOL = "Sample video coding pool"
DEMO_PASSWORD = (
    "patentpool-demo-2025"  # printed by the demo; never use the demo data dir in production
)

ORGANISATIONS = [
    ("Beijing Sample University", OrganisationKind.UNIVERSITY, None, "CN", "1211000040000123XG"),
    (
        "Institute of Sample Research",
        OrganisationKind.RESEARCH_INSTITUTE,
        None,
        "CN",
        "12110000400004561K",
    ),
    (
        "Sample Devices Co., Ltd.",
        OrganisationKind.PRIVATE_COMPANY,
        SizeClass.SMALL,
        "CN",
        "91110108MA01ABC17L",
    ),
    (
        "Small Maker Ltd.",
        OrganisationKind.PRIVATE_COMPANY,
        SizeClass.MICRO,
        "CN",
        "91110105MA02DEF2XY",
    ),
]

# (owner index, number, title, filing, grant, expiry, outcome)
PATENTS = [
    (
        0,
        "CN201810123456.5",
        "Adaptive block partitioning",
        date(2018, 3, 1),
        date(2020, 5, 1),
        date(2038, 3, 1),
        "A",
    ),
    (
        0,
        "CN201910654321.6",
        "Entropy coding of motion vectors",
        date(2019, 6, 1),
        date(2021, 2, 1),
        date(2039, 6, 1),
        "B",
    ),
    (
        0,
        "US10123456B2",
        "Low-latency intra prediction",
        date(2016, 1, 4),
        date(2018, 11, 13),
        date(2036, 1, 4),
        "A",
    ),
    (
        1,
        "CN202020111222.1",
        "Loop filter for screen content",
        date(2020, 2, 1),
        date(2020, 9, 1),
        date(2030, 2, 1),
        "C",
    ),
    (
        1,
        "JP6123456B2",
        "Rate control with look-ahead",
        date(2015, 4, 1),
        date(2017, 6, 9),
        date(2035, 4, 1),
        "B",
    ),
    (
        2,
        "CN201710999888.8",
        "Parallel decoding of tiles",
        date(2017, 9, 1),
        date(2019, 12, 1),
        date(2037, 9, 1),
        "expired",
    ),
    (2, "CN202110333444.7", "Film grain synthesis", date(2021, 1, 5), None, None, "submitted"),
    (
        2,
        "CN201610555666.2",
        "Colour conversion shortcut",
        date(2016, 1, 5),
        date(2018, 1, 5),
        date(2036, 1, 5),
        "rejected",
    ),
]


def seed(session: Session, *, settings: Settings, now: datetime) -> bool:
    """Create the sample pool once; later runs find it and change nothing."""
    if session.exec(select(Pool.id).where(Pool.name == SAMPLE_POOL)).first() is not None:
        return False
    hasher = accounts.password_hasher(settings)
    system = audit.Actor.system("demo")
    admin = accounts.create_user(
        session,
        data=UserCreate(
            email="admin@example.org",
            display_name="Pool Administrator",
            password=DEMO_PASSWORD,
            role=Role.ADMIN,
        ),
        hasher=hasher,
        actor=system,
        now=now,
    )
    boss = Principal(
        user_id=admin.id or 0, email=admin.email, role=Role.ADMIN, organisation_id=None, token_id=0
    )
    orgs = [
        organisations.create(
            session,
            data=OrganisationCreate(
                name=name,
                kind=kind,
                size_class=size,
                country=country,
                uscc=uscc,
                withholding_rate=Decimal("0"),
            ),
            actor=system,
            now=now,
        )
        for name, kind, size, country, uscc in ORGANISATIONS
    ]
    for email, name, role, org in [
        ("contributor@example.org", "Tech-transfer office", Role.CONTRIBUTOR, orgs[0]),
        ("licensee@example.org", "Small Maker licensing", Role.LICENSEE, orgs[3]),
        ("auditor@example.org", "Auditor", Role.AUDITOR, None),
    ]:
        accounts.create_user(
            session,
            data=UserCreate(
                email=email,
                display_name=name,
                password=DEMO_PASSWORD,
                role=role,
                organisation_id=org.id if org else None,
            ),
            hasher=hasher,
            actor=system,
            now=now,
        )
    pool = pools.create(
        session,
        principal=boss,
        data=PoolCreate(
            name=SAMPLE_POOL,
            technology_field=TechnologyField.ICT_MANUFACTURING,
            standard="AVS3",
            currency="CNY",
            admin_fee_rate=Decimal("0.10"),
            allocation_method=AllocationMethod.GRADE_WEIGHTED,
            allocation_parameters={"grade_points": {"A": "3", "B": "2", "C": "1", "D": "1"}},
        ),
        now=now,
    )
    pools.update(
        session,
        principal=boss,
        pool_id=pool.id or 0,
        data=PoolUpdate(status=PoolStatus.OPEN),
        now=now,
    )
    for org in orgs[:3]:
        memberships.join(
            session,
            principal=boss,
            pool_id=pool.id or 0,
            data=MembershipCreate(
                organisation_id=org.id or 0, joined_on=date(2024, 1, 1), agreement_version="2024-1"
            ),
            now=now,
        )
    for owner, number, title, filed, granted, expires, outcome in PATENTS:
        _onboard(
            session,
            boss,
            pool.id or 0,
            orgs[owner].id or 0,
            number,
            title,
            filed,
            granted,
            expires,
            outcome,
            now,
        )
    return True


def _onboard(
    session: Session,
    boss: Principal,
    pool_id: int,
    owner_id: int,
    number: str,
    title: str,
    filed: date,
    granted: date | None,
    expires: date | None,
    outcome: str,
    now: datetime,
) -> None:
    patent = patents.submit(
        session,
        principal=boss,
        pool_id=pool_id,
        data=PatentCreate(
            number=number,
            title=title,
            filing_date=filed,
            grant_date=granted,
            expiry_date=expires,
            standard_sections=["7.3"],
            owner_organisation_id=owner_id,
        ),
        now=now,
    )
    if outcome == "submitted":
        return
    pid = patent.id or 0
    evaluation.start_evaluation(session, principal=boss, patent_id=pid, now=now)
    if outcome == "rejected":
        evaluation.reject(
            session,
            principal=boss,
            patent_id=pid,
            data=PatentReject(reason="not essential to AVS3 7.3"),
            now=now,
        )
        return
    grade = Grade(outcome) if outcome in Grade.__members__ else Grade.B
    evaluation.accept(
        session,
        principal=boss,
        patent_id=pid,
        data=PatentAccept(grade=grade, admitted_on=date(2024, 1, 1)),
        now=now,
    )
    if outcome == "expired":
        evaluation.end(
            session,
            principal=boss,
            patent_id=pid,
            data=PatentEnd(
                status=PatentStatus.INVALIDATED, on=date(2024, 10, 1), reason="invalidated by CNIPA"
            ),
            now=now,
        )


def banner(settings: Settings, created: bool) -> str:
    state = "created" if created else "already present"
    base = f"http://{settings.host}:{settings.port}"
    login = json.dumps({"email": "admin@example.org", "password": DEMO_PASSWORD})
    return "\n".join(
        [
            f"patentpool demo: sample pool {state} in {settings.database_url}",
            f"  API:      {base}/api/v1   OpenAPI: {base}/schema",
            "  sign in:  admin@, contributor@, licensee@, auditor@example.org",
            f"  password: {DEMO_PASSWORD}   (demo only)",
            f"  e.g.      curl -s -X POST {base}/api/v1/auth/login "
            f"-H 'content-type: application/json' -d '{login}'",
        ]
    )
