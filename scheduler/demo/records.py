"""The demo plan's records (`scheduler/demo/plan.py` makes them): who is in the pool, their
patents and what each licensee does during the year. Plain frozen data, no database."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pool.models.organisation import Language, OrganisationKind, SizeClass

DEMO_PASSWORD = "patentpool-demo-2025"  # printed by the demo; never use a demo data dir for real
ADMIN_EMAIL, AUDITOR_EMAIL = "admin@example.org", "auditor@example.org"
CONTRIBUTOR_EMAIL, LICENSEE_EMAIL = "contributor@example.org", "licensee@example.org"
CURRENCY = "CNY"


def pool_name(year: int) -> str:
    return f"AVS3 video coding pool (demo {year})"


@dataclass(frozen=True)
class Size:
    contributors: int = 30
    patents: int = 1500
    licensees: int = 200


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


def unique(used: set[str], make: Callable[[], str]) -> str:
    """A fresh name (or number) from `make`, drawn again until it is not in `used`."""
    while (name := make()) in used:
        pass
    used.add(name)
    return name
