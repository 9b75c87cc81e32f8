"""The demo pool (`patentpool demo`): a realistic year of an AVS3 video-coding pool, planned
from a seed and built only through the real services. `scheduler/demo.py` walks the calendar
and runs the jobs; this module says who is in the pool and what each of them does.

Everything follows from `plan(seed, size, year)` (one `random.Random(seed)`) and from
generators seeded per licensee and quarter, so one seed builds the same pool on every machine.
"""

import csv
import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from argon2 import PasswordHasher
from sqlmodel import Session, col, select

from contracts import AgreementState, FixedFee, fixed_fees
from pool.auth import Principal
from pool.models.billing import PaymentCreate
from pool.models.licensing import (
    AgreementCreate,
    AgreementMove,
    FilingCreate,
    LicenceAgreement,
    OfferCreate,
    ProductCreate,
    TermsCreate,
)
from pool.models.membership import MembershipCreate
from pool.models.organisation import Language, OrganisationCreate, OrganisationKind, SizeClass
from pool.models.patent import Grade, Patent, PatentAccept, PatentReject, PatentStatus
from pool.models.pool import AllocationMethod, PoolCreate, PoolStatus, PoolUpdate, TechnologyField
from pool.models.reporting import (
    NilReportCreate,
    ReportStatus,
    UsageLineIn,
    UsageReport,
    UsageReportCorrection,
    UsageReportCreate,
)
from pool.models.user import Role, UserCreate
from pool.services import (
    accounts,
    agreements,
    audit,
    evaluation,
    memberships,
    offers,
    organisations,
    patent_import,
    payments,
    pools,
    products,
    report_import,
    reports,
    terms,
)
from pool.settings import Settings
from pool.validation import cn_application_check_digit, org_code_check_char, uscc_check_char

DEMO_PASSWORD = "patentpool-demo-2025"  # printed by the demo; never use a demo data dir for real
ADMIN_EMAIL, AUDITOR_EMAIL = "admin@example.org", "auditor@example.org"
CONTRIBUTOR_EMAIL, LICENSEE_EMAIL = "contributor@example.org", "licensee@example.org"
SYSTEM = audit.Actor.system("demo")
CURRENCY = "CNY"


def pool_name(year: int) -> str:
    return f"AVS3 video coding pool (demo {year})"


@dataclass(frozen=True)
class Size:
    contributors: int = 30
    patents: int = 1500
    licensees: int = 200


# ---------------------------------------------------------------- the plan (no database)


@dataclass(frozen=True)
class Org:
    key: str  # c01.., l001..: stable names for e-mails and payment references
    name: str
    kind: OrganisationKind
    country: str
    language: Language  # "zh-CN" or "en"
    size: SizeClass | None
    uscc: str | None
    withholding: Decimal  # non-resident contributors: 10 % is withheld from their royalties
    email: str


@dataclass(frozen=True)
class PatentPlan:
    owner: str
    number: str
    country: str | None  # where an EP patent is validated (DE or FR)
    family: str
    title: str
    filed: date
    granted: date
    expires: date
    outcome: str  # a grade, "rejected", or "pending" (still being evaluated)


@dataclass(frozen=True)
class LicenseePlan:
    org: Org
    deal: str  # "open" (accepts the open licence), "enterprise" (negotiated), "ufpl"
    signs_on: date
    categories: tuple[str, ...]
    payer: str  # "prompt", "late", "partial", "never" (its Q2 invoice stays unpaid)
    scale: int  # units of one product in a quarter, roughly
    nil_quarters: frozenset[int] = frozenset()
    late_quarter: int | None = None  # that quarter's report comes months after its deadline
    corrects_quarter: int | None = None  # that quarter's report is corrected upwards later
    files: bool = True  # the licence contract is filed (备案) within three months
    by_csv: bool = False  # reports by CSV upload rather than JSON


@dataclass(frozen=True)
class Plan:
    seed: int
    year: int
    contributors: list[Org]
    patents: list[PatentPlan]
    licensees: list[LicenseePlan]


CN_CITIES = ["深圳", "杭州", "苏州", "广州", "合肥", "武汉", "成都", "西安", "南京", "厦门"]
CN_BRANDS = ["星河", "云图", "博视", "智芯", "海德", "易联", "众鑫", "锐思", "华颖", "天衡"]
CN_BRANDS += ["灵犀", "曜石", "极光", "青禾", "远航", "维度", "启明", "瀚海", "若水", "朗月"]
CN_TRADES = ["电子", "智能科技", "通信设备", "视讯", "物联网技术", "数码"]
CN_PLACES = ["京华", "海川", "东岳", "西岭", "南湖", "北辰", "云岭", "长河", "青川", "明远"]
CN_REGIONS = ["110108", "310115", "440305", "330106", "320506", "510107"]
KINDS = [  # Chinese contributors, in turn
    OrganisationKind.UNIVERSITY,
    OrganisationKind.PRIVATE_COMPANY,
    OrganisationKind.RESEARCH_INSTITUTE,
    OrganisationKind.STATE_OWNED_ENTERPRISE,
]
FOREIGN = [  # every fifth contributor: English-speaking, non-resident
    ("Westbrook University", OrganisationKind.UNIVERSITY, "US", None),
    ("Harbor Signal Labs Inc.", OrganisationKind.PRIVATE_COMPANY, "US", SizeClass.LARGE),
    ("Institute for Image Coding", OrganisationKind.RESEARCH_INSTITUTE, "DE", None),
    ("Sakura Visual Systems K.K.", OrganisationKind.PRIVATE_COMPANY, "JP", SizeClass.LARGE),
    ("Hanbit Media Technologies", OrganisationKind.PRIVATE_COMPANY, "KR", SizeClass.MEDIUM),
    ("Thames Imaging Ltd.", OrganisationKind.PRIVATE_COMPANY, "GB", SizeClass.MEDIUM),
]
EN_BRANDS = ["Lumen", "Baltic", "Kestrel", "Orchid", "Granite", "Nimbus", "Saffron", "Tundra"]
EN_NOUNS = ["Devices", "Screens", "Vision", "Mobile", "Electronics", "Home", "Media", "Optics"]
EN_SUFFIX = {"US": "Inc.", "DE": "GmbH", "JP": "K.K.", "KR": "Co., Ltd.", "IN": "Pvt. Ltd."}
TOPICS = [
    ("Adaptive block partitioning", "一种自适应块划分方法"),
    ("Entropy coding of motion vectors", "运动矢量的熵编码方法"),
    ("Low-latency intra prediction", "低时延帧内预测方法"),
    ("Loop filter for screen content", "屏幕内容环路滤波方法"),
    ("Rate control with look-ahead", "基于前瞻的码率控制方法"),
    ("Parallel decoding of tiles", "图块并行解码方法"),
    ("Film grain synthesis", "胶片颗粒合成方法"),
    ("Affine motion compensation", "仿射运动补偿方法"),
    ("Cross-component prediction", "跨分量预测方法"),
    ("Transform skip for residuals", "残差变换跳过方法"),
    ("Reference picture resampling", "参考图像重采样方法"),
    ("Sample adaptive offset", "样值自适应偏移方法"),
]
SECTIONS = ["7.1.2", "7.2.4", "7.3.2", "8.1.3", "8.2.1", "9.4.5", "9.6.1"]
CATEGORIES = ("mobile", "tv", "iot")
PRICES = {"mobile": (80_000, 300_000), "tv": (120_000, 600_000), "iot": (9_900, 59_900)}
PRODUCTS = {
    "mobile": ("Smartphone", "智能手机"),
    "tv": ("Smart TV", "智能电视"),
    "iot": ("Network camera", "网络摄像机"),
}
SCALE = {
    SizeClass.MICRO: 1_500,
    SizeClass.SMALL: 8_000,
    SizeClass.MEDIUM: 40_000,
    SizeClass.LARGE: 180_000,
}
LINES_OF_BUSINESS: dict[SizeClass, list[tuple[str, ...]]] = {
    SizeClass.MICRO: [("iot",), ("iot",), ("mobile",)],
    SizeClass.SMALL: [("iot",), ("mobile",), ("mobile", "iot")],
    SizeClass.MEDIUM: [("mobile", "tv"), ("tv",), ("mobile", "iot")],
    SizeClass.LARGE: [CATEGORIES, ("mobile", "tv")],
}
SALES = ["CN"] * 12 + ["US"] * 3 + ["DE", "FR", "JP", "KR", "IN", "BR", "GB"]
SEASON = {1: 0.9, 2: 1.0, 3: 1.05, 4: 1.3}


def plan(seed: int, size: Size, year: int) -> Plan:
    """Who is in the pool and what each does during `year`, from one seeded generator."""
    rng = random.Random(seed)
    contributors = _contributors(rng, size.contributors)
    patents = _patents(rng, contributors, size.patents, year)
    return Plan(seed, year, contributors, patents, _licensees(rng, size.licensees, year))


def _uscc(rng: random.Random, authority: str) -> str:
    """A valid unified social credit code (both check characters right)."""
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    prefix = f"{authority}{rng.choice(CN_REGIONS)}{body}{org_code_check_char(body)}"
    return prefix + uscc_check_char(prefix)


def _contributors(rng: random.Random, count: int) -> list[Org]:
    made: list[Org] = []
    used: set[str] = set()
    for index in range(count):
        key = f"c{index + 1:02d}"
        email = CONTRIBUTOR_EMAIL if index == 0 else f"contributor-{index + 1:02d}@example.org"
        if index % 5 == 4:
            name, kind, country, size = FOREIGN[(index // 5) % len(FOREIGN)]
            name += f" {index // 30 + 1}" if index >= 30 else ""
            made.append(Org(key, name, kind, country, "en", size, None, Decimal("0.10"), email))
            continue
        kind = KINDS[(index - index // 5) % len(KINDS)]
        size = {
            OrganisationKind.STATE_OWNED_ENTERPRISE: SizeClass.LARGE,
            OrganisationKind.PRIVATE_COMPANY: rng.choice([SizeClass.LARGE, SizeClass.MEDIUM]),
        }.get(kind)
        public = kind in (OrganisationKind.UNIVERSITY, OrganisationKind.RESEARCH_INSTITUTE)
        uscc = _uscc(rng, "12" if public else "91")
        name = _unique(used, partial(_chinese_contributor, rng, kind))
        made.append(Org(key, name, kind, "CN", "zh-CN", size, uscc, Decimal(0), email))
    return made


def _unique(used: set[str], make: Callable[[], str]) -> str:
    while (name := make()) in used:
        pass
    used.add(name)
    return name


def _chinese_contributor(rng: random.Random, kind: OrganisationKind) -> str:
    place = rng.choice(CN_PLACES)
    if kind == OrganisationKind.UNIVERSITY:
        return f"{place}{rng.choice(['理工', '信息科技', '电子科技', '交通'])}大学"
    if kind == OrganisationKind.RESEARCH_INSTITUTE:
        return f"{place}{rng.choice(['通信技术研究院', '数字媒体研究所', '微电子研究所'])}"
    if kind == OrganisationKind.STATE_OWNED_ENTERPRISE:
        return f"{place}{rng.choice(['电子信息', '广电', '通信'])}集团有限公司"
    return f"{rng.choice(CN_CITIES)}市{rng.choice(CN_BRANDS)}视频技术有限公司"


def _patents(rng: random.Random, owners: list[Org], count: int, year: int) -> list[PatentPlan]:
    """Families of one invention in several countries: CN most, then US, EP (DE, FR), JP,
    KR. About 1 % expire during the year, 2 % are rejected and 1 % still wait for a decision."""
    weights = [rng.paretovariate(1.5) for _ in owners]
    shares = [max(1, int(count * w / sum(weights))) for w in weights]
    shares[shares.index(max(shares))] += count - sum(shares)
    numbers: set[str] = set()
    made: list[PatentPlan] = []
    for owner, share in zip(owners, shares, strict=True):
        family = 0
        while share > 0:
            family += 1
            countries = _family_countries(rng, owner.country)[:share]
            topic = rng.choice(TOPICS)
            filed = date(rng.randint(2008, 2020), rng.randint(1, 12), rng.randint(1, 28))
            grade = rng.choices(["A", "B", "C", "D"], weights=[15, 40, 35, 10])[0]
            for country in countries:
                number = _unique(numbers, partial(_number, rng, country, filed))
                made.append(
                    PatentPlan(
                        owner=owner.key,
                        number=number,
                        country=country if country in ("DE", "FR") else None,
                        family=f"{owner.key}-F{family:03d}",
                        title=topic[1] if country == "CN" else topic[0],
                        filed=filed,
                        granted=filed + timedelta(days=rng.randint(500, 1400)),
                        expires=filed.replace(year=filed.year + 20),
                        outcome=grade,
                    )
                )
            share -= len(countries)
    return _fates(rng, made, year)


def _family_countries(rng: random.Random, home: str) -> list[str]:
    first = home if home in ("CN", "US", "JP", "KR") else rng.choice(["DE", "US"])
    others = [c for c in ("CN", "US", "DE", "FR", "JP", "KR") if c != first]
    return [first, *rng.sample(others, rng.choices([0, 1, 2, 3], weights=[45, 30, 17, 8])[0])]


def _number(rng: random.Random, country: str, filed: date) -> str:
    if country == "CN":
        digits = f"{filed.year}1{rng.randint(0, 9_999_999):07d}"
        return f"CN{digits}.{cn_application_check_digit(digits)}"
    if country == "US":
        return f"US{rng.randint(9_000_000, 11_999_999)}B2"
    if country in ("DE", "FR"):
        return f"EP{rng.randint(2_000_000, 3_999_999)}B1"
    if country == "JP":
        return f"JP{rng.randint(6_000_000, 7_499_999)}B2"
    return f"KR10{rng.randint(1_500_000, 2_699_999)}B1"


def _fates(rng: random.Random, made: list[PatentPlan], year: int) -> list[PatentPlan]:
    picks = rng.sample(range(len(made)), min(len(made), max(4, round(len(made) * 0.04))))
    expiring = picks[: max(2, len(picks) // 4)]
    for index in expiring:
        expires = date(year, rng.randint(2, 11), rng.randint(1, 28))
        filed = expires.replace(year=year - 20)
        number = made[index].number
        if number.startswith("CN"):  # the application number starts with the filing year
            digits = f"{filed.year}{number[6:14]}"
            number = f"CN{digits}.{cn_application_check_digit(digits)}"
        made[index] = replace(
            made[index],
            number=number,
            filed=filed,
            granted=filed + timedelta(days=900),
            expires=expires,
        )
    for n, index in enumerate(picks[len(expiring) :]):
        made[index] = replace(made[index], outcome="pending" if n % 3 == 2 else "rejected")
    return made


def _licensees(rng: random.Random, count: int, year: int) -> list[LicenseePlan]:
    """Micro, small, medium and large makers, a seventh of them abroad."""
    shares = [(SizeClass.MICRO, 0.3), (SizeClass.SMALL, 0.35), (SizeClass.MEDIUM, 0.2)]
    sizes = [size for size, share in shares for _ in range(max(1, round(count * share)))]
    sizes = (sizes + [SizeClass.LARGE] * count)[:count]
    if count >= 4:
        sizes[-1] = SizeClass.LARGE
    rng.shuffle(sizes)
    used: set[str] = set()
    made = [_behaviour(rng, _licensee(rng, i, size, used), year) for i, size in enumerate(sizes)]
    return _special_roles(rng, made, year)


def _licensee(rng: random.Random, index: int, size: SizeClass, used: set[str]) -> Org:
    key = f"l{index + 1:03d}"
    email = LICENSEE_EMAIL if index == 0 else f"licensee-{index + 1:03d}@example.org"
    if index % 7 == 6:
        country = rng.choice(["US", "DE", "JP", "KR", "IN", "GB"])
        name = _unique(
            used,
            lambda: (
                f"{rng.choice(EN_BRANDS)} {rng.choice(EN_NOUNS)} {EN_SUFFIX.get(country, 'Ltd.')}"
            ),
        )
        kind = OrganisationKind.PRIVATE_COMPANY
        return Org(key, name, kind, country, "en", size, None, Decimal(0), email)
    name = _unique(
        used,
        lambda: f"{rng.choice(CN_CITIES)}市{rng.choice(CN_BRANDS)}{rng.choice(CN_TRADES)}有限公司",
    )
    uscc = _uscc(rng, "91")
    kind = OrganisationKind.PRIVATE_COMPANY
    return Org(key, name, kind, "CN", "zh-CN", size, uscc, Decimal(0), email)


def _behaviour(rng: random.Random, org: Org, year: int) -> LicenseePlan:
    size = org.size or SizeClass.LARGE
    early = rng.random() < 0.8  # most sign in the first quarter, the others during the year
    nil_chance = 0.2 if size == SizeClass.MICRO else 0.04
    return LicenseePlan(
        org=org,
        deal="open",
        signs_on=date(year, 1, 2) + timedelta(days=rng.randint(0, 85 if early else 250)),
        categories=rng.choice(LINES_OF_BUSINESS[size]),
        payer=rng.choices(["prompt", "late", "partial"], weights=[80, 12, 8])[0],
        scale=int(SCALE[size] * rng.uniform(0.5, 1.5)),
        nil_quarters=frozenset(q for q in range(1, 5) if rng.random() < nil_chance),
        files=rng.random() < 0.93,
        by_csv=size == SizeClass.LARGE,
    )


def _special_roles(rng: random.Random, made: list[LicenseePlan], year: int) -> list[LicenseePlan]:
    """Negotiated licences (with an entry fee) for a quarter of the large makers, "use first,
    pay later" for one start-up, and one licensee each that reports a quarter late, corrects
    a report, or never pays an invoice."""
    large = [i for i, p in enumerate(made) if p.org.size == SizeClass.LARGE]
    for i in large[: max(1, len(large) // 4)]:
        made[i] = replace(made[i], deal="enterprise", signs_on=date(year, 1, 6))
        made[i] = replace(made[i], categories=CATEGORIES, nil_quarters=frozenset())
    small = [i for i, p in enumerate(made) if p.org.size in (SizeClass.MICRO, SizeClass.SMALL)]
    ufpl = small[0] if small else len(made) - 1
    made[ufpl] = replace(
        made[ufpl],
        deal="ufpl",
        signs_on=date(year, 1, 15),
        payer="prompt",
        nil_quarters=frozenset(),
    )
    others = [i for i in range(len(made)) if i != ufpl and made[i].deal == "open"]
    chosen = rng.sample(others, 3) if len(others) >= 3 else others
    roles: list[dict[str, Any]] = [{"late_quarter": 2}, {"payer": "never"}, {"corrects_quarter": 1}]
    for i, role in zip(chosen, roles, strict=False):
        signs_on = min(made[i].signs_on, date(year, 2, 28))
        made[i] = replace(made[i], signs_on=signs_on, nil_quarters=frozenset(), **role)
    return made


# ---------------------------------------------------------------- report lines


def report_lines(
    seed: int, licensee: LicenseePlan, product_ids: dict[str, int], quarter: int, factor: float
) -> list[UsageLineIn]:
    """A quarter's implementation report: per product, units by country of manufacture and
    of sale (mostly made in China), net sales, now and then units paid upstream."""
    rng = random.Random(f"{seed}:{licensee.org.key}:{quarter}")
    lines: list[UsageLineIn] = []
    for category in licensee.categories:
        units = int(licensee.scale * SEASON[quarter] * factor * rng.uniform(0.7, 1.3)) + 1
        price = rng.randint(*PRICES[category])
        sold_in = sorted(set(rng.sample(SALES, rng.randint(1, 3))))
        for n, sold in enumerate(sold_in):
            part = units // len(sold_in) + (units % len(sold_in) if n == 0 else 0)
            made = "CN" if rng.random() < 0.9 else rng.choice(["VN", "IN"])
            upstream = part // rng.randint(5, 10) if rng.random() < 0.1 else 0
            lines.append(
                UsageLineIn(
                    product_id=product_ids[category],
                    country_of_manufacture=made,
                    country_of_sale=sold,
                    units=part,
                    net_sales_minor=part * price,
                    upstream_paid_units=upstream,
                    unit_price_minor=price if category == "tv" else None,
                )
            )
    return lines


def as_csv(lines: list[UsageLineIn]) -> bytes:
    """The same lines as the CSV upload takes them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = list(UsageLineIn.model_fields)
    writer.writerow(names)
    for line in lines:
        writer.writerow(["" if v is None else v for v in line.model_dump().values()])
    return out.getvalue().encode()


# ---------------------------------------------------------------- terms


def royalty_terms(version: str, *, entry_fee_minor: int = 0) -> dict[str, Any]:
    """One fee standard for everyone (per unit by band or volume tier, or a share of net
    sales), SME and good-standing discounts, a free allowance and an annual cap, in CNY."""
    return {
        "terms_version": version,
        "currency": CURRENCY,
        "minor_unit_exponent": 2,
        "categories": [
            {
                "category": "mobile",
                "basis": "per_unit",
                "tiers": [
                    {"from_units": 0, "rate": "1.20"},
                    {"from_units": 500_000, "rate": "0.80"},
                ],
            },
            {
                "category": "tv",
                "basis": "per_unit",
                "bands": [
                    {
                        "lower_minor": 0,
                        "lower_inclusive": True,
                        "upper_minor": 200_000,
                        "upper_inclusive": False,
                        "rate": "2.00",
                    },
                    {"lower_minor": 200_000, "lower_inclusive": True, "rate": "4.00"},
                ],
            },
            {"category": "iot", "basis": "percent_of_net_sales", "percent": "1.5"},
        ],
        "free_units_per_year": 2_000,
        "annual_cap_minor": 500_000_000,
        "discounts": {
            "order": ["sme", "good_standing"],
            "stacking": "compound",
            "sme": {"micro": "0.5", "small": "0.7", "medium": "0.9"},
            "good_standing": "0.95",
        },
        "entry_fee_minor": entry_fee_minor,
    }


LATE_INTEREST = {"annual_percent": "7.3"}
TERMS = {  # deal -> (royalty terms, payment terms)
    "open": (royalty_terms("open-{year}"), {"net_days": 30, "late_interest": LATE_INTEREST}),
    "enterprise": (
        royalty_terms("enterprise-{year}", entry_fee_minor=5_000_000),
        {"net_days": 30, "late_interest": LATE_INTEREST},
    ),
    "ufpl": (  # use first, pay later: royalties fall due six months after the quarter
        royalty_terms("ufpl-{year}"),
        {"net_days": 30, "grace": {"months": 6}, "late_interest": LATE_INTEREST},
    ),
}


# ---------------------------------------------------------------- building, through services


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
            payment_method="bank transfer in CNY within 30 days of the quarter's end",
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


def sign(session: Session, built: Built, licensee: LicenseePlan, *, now: datetime) -> int:
    """The licence: the open offer accepted online by the licensee itself, or a negotiated
    agreement the administrator drafts and activates. Returns the agreement id."""
    if licensee.deal == "open":
        made = offers.accept(
            session, principal=built.users[licensee.org.key], offer_id=built.offer_id, now=now
        )
        return made.id or 0
    today = now.date()
    draft = agreements.create(
        session,
        principal=built.admin,
        data=AgreementCreate(
            pool_id=built.pool_id,
            licensee_organisation_id=built.orgs[licensee.org.key],
            terms_id=built.terms[licensee.deal],
            territory="worldwide",
            product_categories=list(licensee.categories),
            signed_on=today,
            start_on=today,
            end_on=today.replace(year=today.year + 3),
            payment_method="bank transfer in CNY",
        ),
        now=now,
    )
    agreements.move(
        session,
        principal=built.admin,
        agreement_id=draft.id or 0,
        data=AgreementMove(to=AgreementState.ACTIVE, on=today),
        now=now,
    )
    return draft.id or 0


def register_products(
    session: Session, built: Built, licensee: LicenseePlan, agreement_id: int, *, now: datetime
) -> dict[str, int]:
    """One filed product per licensed category, linked to a few pool patents."""
    rng = random.Random(f"{licensee.org.key}:products")
    accepted = accepted_patents(session, built.pool_id)  # expired ones can no longer be cited
    made: dict[str, int] = {}
    for category in licensee.categories:
        english, chinese = PRODUCTS[category]
        name = chinese if licensee.org.language == "zh-CN" else english
        product = products.register(
            session,
            principal=built.users[licensee.org.key],
            agreement_id=agreement_id,
            data=ProductCreate(
                name=f"{name} {rng.choice('ABCDEFGHKMNPRSTXZ')}{rng.randint(1, 9)}",
                model=f"{category[:2].upper()}-{rng.randint(100, 990)}",
                category=category,
                patent_ids=sorted(rng.sample(accepted, min(5, len(accepted)))),
            ),
            now=now,
        )
        made[category] = product.id or 0
    return made


def file_contract(
    session: Session, built: Built, agreement_id: int, number: str, *, now: datetime
) -> None:
    """The licence contract's filing (备案) with its number, recorded by the administrator."""
    agreements.record_filing(
        session,
        principal=built.admin,
        agreement_id=agreement_id,
        data=FilingCreate(filing_number=number, filed_on=now.date()),
        now=now,
    )


def submit_report(
    session: Session,
    built: Built,
    licensee: LicenseePlan,
    agreement_id: int,
    lines: list[UsageLineIn],
    *,
    period_start: date,
    now: datetime,
) -> int | None:
    """The licensee's report (JSON, or CSV for the large makers; a nil report when nothing
    was made or sold). Returns the invoice it issued, if any."""
    who = built.users[licensee.org.key]
    if not lines:
        data: UsageReportCreate | NilReportCreate = NilReportCreate(period_start=period_start)
        receipt = reports.submit(
            session, principal=who, agreement_id=agreement_id, data=data, now=now
        )
    elif licensee.by_csv:
        receipt = report_import.import_csv(
            session,
            principal=who,
            agreement_id=agreement_id,
            period_start=period_start,
            currency=CURRENCY,
            content=as_csv(lines),
            now=now,
        )
    else:
        data = UsageReportCreate(period_start=period_start, currency=CURRENCY, lines=lines)
        receipt = reports.submit(
            session, principal=who, agreement_id=agreement_id, data=data, now=now
        )
    return receipt.invoice_id


def correct_report(
    session: Session,
    built: Built,
    licensee: LicenseePlan,
    agreement_id: int,
    lines: list[UsageLineIn],
    *,
    period_start: date,
    now: datetime,
) -> int | None:
    """Supersede the period's current report (its invoice is cancelled, payments on it
    become credit that settles the new invoice first)."""
    current = session.exec(
        select(UsageReport.id).where(
            UsageReport.agreement_id == agreement_id,
            UsageReport.period_start == period_start,
            UsageReport.status == ReportStatus.ACCEPTED,
        )
    ).one()
    receipt = reports.correct(
        session,
        principal=built.users[licensee.org.key],
        report_id=current or 0,
        data=UsageReportCorrection(currency=CURRENCY, lines=lines),
        now=now,
    )
    return receipt.invoice_id


def pay(
    session: Session,
    built: Built,
    licensee_key: str,
    *,
    reference: str,
    amount_minor: int,
    on: date,
    now: datetime,
) -> None:
    """A bank receipt, recorded by the administrator (it settles the oldest due parts)."""
    payments.record(
        session,
        principal=built.admin,
        pool_id=built.pool_id,
        data=PaymentCreate(
            licensee_organisation_id=built.orgs[licensee_key],
            reference=reference,
            amount_minor=amount_minor,
            currency=CURRENCY,
            received_on=on,
        ),
        now=now,
    )


def fixed_fees_of(session: Session, agreement_id: int) -> tuple[FixedFee, ...]:
    """The entry and annual fees the agreement's terms set, with their dates."""
    agreement = session.get_one(LicenceAgreement, agreement_id)
    royalty, _ = terms.royalty_terms_of(session, agreement)
    return fixed_fees(royalty, start=agreement.start_on, end=agreement.end_on)


def accepted_patents(session: Session, pool_id: int) -> list[int]:
    rows = session.exec(
        select(Patent.id)
        .where(Patent.pool_id == pool_id, Patent.status == PatentStatus.ACCEPTED)
        .order_by(col(Patent.id))
    ).all()
    return [pid for pid in rows if pid is not None]


def banner(settings: Settings, *, built_now: bool) -> str:
    """Where to sign in, and with what (the demo password is the same for every user)."""
    base = f"http://{settings.host}:{settings.port}"
    state = "built" if built_now else "already built (nothing changed)"
    login = json.dumps({"email": ADMIN_EMAIL, "password": DEMO_PASSWORD})
    return "\n".join(
        [
            f"patentpool demo: pool {state} in {settings.database_url}",
            f"  API:       {base}/api/v1   OpenAPI: {base}/schema",
            f"  sign in:   {ADMIN_EMAIL}, {AUDITOR_EMAIL}, {CONTRIBUTOR_EMAIL}, {LICENSEE_EMAIL}",
            "             (and contributor-NN@ / licensee-NNN@example.org for every organisation)",
            f"  password:  {DEMO_PASSWORD}   (demo only)",
            f"  e.g.       curl -s -X POST {base}/api/v1/auth/login "
            f"-H 'content-type: application/json' -d '{login}'",
        ]
    )
