"""The pool at ten times the demo (issue 17: "lists stay fast at 10x"): the small test world
(`tests.pool.conftest.build_world`: its callers and tokens) grown to 2,000 licensees (each with
an organisation, a user, an agreement, products, quarterly reports, royalty invoices and
payments), 15,000 patents of ~100 contributors (families, standard sections, grades) and the
audit events all that made, chained as the service chains them.

Built in bulk (one executemany per table, explicit ids, seeded and deterministic), not through
the services: the demo's way takes minutes at 1x, this takes seconds at 10x. The rows are
shaped as the services write them (states, numbers, due dates, amounts), so every list page
renders real content. Used by tests/web/browser/test_scale.py (built once per session, copied
per test) and by benchmarks/list_pages.py. No ledger entries and no distribution runs: the
lists and the dashboard read invoices, allocations, agreements, patents and the audit trail."""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, select, text
from sqlmodel import SQLModel

import pool.models  # noqa: F401  (registers every table)
from pool.db import session_scope
from pool.models.licensing import TermsCreate
from pool.models.user import User
from pool.services import audit
from pool.services.licensing import terms as licensing_terms
from pool.services.patents.rules import resolve_number
from pool.settings import Settings
from pool.validation import cn_application_check_digit
from tests.conftest import FakeClock
from tests.pool.conftest import World, admin_principal, build_world

LICENSEES, PATENTS, CONTRIBUTORS = 2000, 15000, 100
SECTIONS = ["7.1.2", "7.2.4", "7.3.2", "8.1.3", "8.2.1", "9.4.5", "9.6.1"]
TOPICS = ["Adaptive block partitioning", "Entropy coding of motion vectors"]
TOPICS += ["Low-latency intra prediction", "Loop filter for screen content"]
TOPICS += ["Affine motion compensation", "Cross-component prediction", "Sample adaptive offset"]
CITIES = ["深圳", "杭州", "苏州", "广州", "合肥", "武汉", "成都", "西安", "南京", "厦门"]
BRANDS = ["星河", "云图", "博视", "智芯", "海德", "易联", "众鑫", "锐思", "华颖", "天衡"]
TRADES = ["电子", "智能科技", "通信设备", "视讯", "物联网技术", "数码"]
EN_BRANDS = ["Lumen", "Baltic", "Kestrel", "Orchid", "Granite", "Nimbus", "Saffron", "Tundra"]
EN_NOUNS = ["Devices", "Screens", "Vision", "Mobile", "Electronics", "Home", "Media", "Optics"]
STATES = ["active"] * 80 + ["draft"] * 8 + ["suspended"] * 5 + ["expired"] * 4 + ["terminated"] * 3
QUARTERS = [
    (date(2024, m, 1), date(2024 + (m + 3) // 13, (m + 2) % 12 + 1, 1)) for m in (1, 4, 7, 10)
]
QUARTERS += [(date(2025, 1, 1), date(2025, 4, 1))]
TERMS: dict[str, Any] = {
    "terms_version": "scale-1",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [
        {"category": "mobile", "rate": "0.50"},
        {"category": "TV", "rate": "1.00", "annual_cap_minor": 2000000},
    ],
}
SEARCHED = "Kestrel Optics Scale"  # one licensee's name, unique: the search test finds it


@dataclass(frozen=True)
class ScaleWorld:
    world: World  # the small world's callers (admin, licensee SME L, ...), their tokens valid
    licensees: int
    patents: int
    searched: str  # a licensee name found by exactly one agreement
    searched_agreement_id: int


class _Ids:
    """The next id of each table (explicit ids: children need their parents' ids)."""

    def __init__(self, conn: Any) -> None:
        self.conn, self.next = conn, {}

    def take(self, table: str) -> int:
        if table not in self.next:
            found = self.conn.execute(text(f'SELECT max(id) FROM "{table}"')).scalar()
            self.next[table] = (found or 0) + 1
        self.next[table] += 1
        return int(self.next[table] - 1)


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def build(engine: Engine, settings: Settings, clock: FakeClock, *, scale: int = 10) -> ScaleWorld:
    """The small world, then `scale` x the demo's licensees and patents (10: the issue's)."""
    world = build_world(engine, settings, clock)
    now = clock()
    with session_scope(engine) as s:
        made = licensing_terms.create(
            s,
            principal=admin_principal(world.admin),
            pool_id=world.pool_id,
            data=TermsCreate(royalty_terms=TERMS, payment_terms={"net_days": 30}),
            now=now,
        )
        terms_id = made.id or 0
        password_hash = s.scalars(
            select(User.password_hash).where(User.id == world.licensee.user_id)
        ).one()
    rng = random.Random(17)
    rows: dict[str, list[dict[str, Any]]] = {}
    events: list[audit.EventSpec] = []
    with engine.begin() as conn:
        ids = _Ids(conn)
        contributors = _contributors(rng, world, ids, rows, password_hash, now, scale)
        patent_ids = _patents(rng, world, ids, rows, contributors, now, scale, events)
        searched_id = _licensees(
            rng, world, ids, rows, terms_id, patent_ids, password_hash, now, scale, events
        )
        for name in [t.name for t in SQLModel.metadata.sorted_tables]:
            if rows.get(name):
                conn.execute(_table(name).insert(), rows[name])
                if conn.dialect.name == "postgresql":
                    conn.execute(
                        text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :n)"),
                        {"t": f'"{name}"', "n": ids.next[name] - 1},
                    )
    with session_scope(engine) as s:  # chained in time order, as the service would have
        for at, event in sorted(events, key=lambda one: one[0]):
            audit.record_many(s, [event], actor=audit.Actor.system("scale"), now=at)
    return ScaleWorld(world, LICENSEES * scale // 10, PATENTS * scale // 10, SEARCHED, searched_id)


def _contributors(rng, world, ids, rows, password_hash, now, scale):  # type: ignore[no-untyped-def]
    owners = [world.contributor.organisation_id, world.other_contributor.organisation_id]
    for n in range(3, CONTRIBUTORS * scale // 10 + 1):
        org = ids.take("organisation")
        foreign = n % 5 == 0
        name = (
            f"Institute for Image Coding {n}"
            if foreign
            else f"{rng.choice(CITIES)}视频技术研究院 {n:03d}"
        )
        rows.setdefault("organisation", []).append(
            _org(org, name, "research_institute", None, "DE" if foreign else "CN", now)
        )
        rows.setdefault("user", []).append(
            _user(ids, org, f"contributor-{n:03d}@example.org", "contributor", password_hash, now)
        )
        rows.setdefault("membership", []).append(
            {
                "id": ids.take("membership"),
                "pool_id": world.pool_id,
                "organisation_id": org,
                "joined_on": date(2024, 1, 1),
                "agreement_version": "v1",
                "created_at": now,
            }
        )
        owners.append(org)
    return owners


def _org(org_id, name, kind, size, country, now):  # type: ignore[no-untyped-def]
    return {
        "id": org_id,
        "name": name,
        "kind": kind,
        "size_class": size,
        "country": country,
        "uscc": None,
        "tax_resident": country == "CN",
        "withholding_rate": "0" if country == "CN" else "0.10",
        "language": "zh-CN" if country == "CN" else "en",
        "created_at": now,
    }


def _user(ids, org_id, email, role, password_hash, now):  # type: ignore[no-untyped-def]
    return {
        "id": ids.take("user"),
        "email": email,
        "display_name": email.split("@")[0],
        "password_hash": password_hash,
        "role": role,
        "organisation_id": org_id,
        "is_active": True,
        "created_at": now,
    }


def _number(country: str, seq: int, filed: date) -> str:
    if country == "CN":
        digits = f"{filed.year}1{seq:07d}"
        return f"CN{digits}.{cn_application_check_digit(digits)}"
    return f"US{9_000_000 + seq}B2" if country == "US" else f"JP{6_000_000 + seq}B2"


def _patents(rng, world, ids, rows, owners, now, scale, events):  # type: ignore[no-untyped-def]
    """Families of one to three countries; 90 % accepted (graded, in force in the pool)."""
    weights = [rng.paretovariate(1.5) for _ in owners]
    accepted: list[int] = []
    seq, family = 0, 0
    while seq < PATENTS * scale // 10:
        family += 1
        owner = rng.choices(owners, weights)[0]
        filed = date(rng.randint(2008, 2020), rng.randint(1, 12), rng.randint(1, 28))
        topic, sections = rng.choice(TOPICS), sorted(rng.sample(SECTIONS, rng.randint(1, 2)))
        status = rng.choices(
            ["accepted", "submitted", "under_evaluation", "rejected"], [90, 5, 3, 2]
        )[0]
        for country in ["CN", "US", "JP"][: rng.choice([1, 1, 2, 3])]:
            seq += 1
            resolved = resolve_number(_number(country, seq, filed), None)
            patent_id, done = ids.take("patent"), status in ("accepted", "rejected")
            submitted = now - timedelta(days=rng.randint(30, 500))
            rows.setdefault("patent", []).append(
                {
                    "id": patent_id,
                    "pool_id": world.pool_id,
                    "owner_organisation_id": owner,
                    "number": resolved.canonical,
                    "number_key": resolved.key,
                    "jurisdiction": resolved.jurisdiction,
                    "country": resolved.country,
                    "family_id": f"F-{family:05d}",
                    "title": f"{topic} ({family})",
                    "filing_date": filed,
                    "grant_date": filed + timedelta(days=900),
                    "expiry_date": filed + timedelta(days=7305),
                    "standard_sections": sections,
                    "status": status,
                    "essential": True if status == "accepted" else (False if done else None),
                    "grade": rng.choice("ABCD") if done else None,
                    "tier": rng.choice("12") if status == "accepted" else None,
                    "evaluator_user_id": world.admin.user_id if done else None,
                    "evaluation_notes": None,
                    "evaluated_on": submitted.date() + timedelta(days=20) if done else None,
                    "admitted_on": date(2024, 1, 1) if status == "accepted" else None,
                    "ended_on": None,
                    "submitted_at": submitted,
                    "updated_at": submitted,
                }
            )
            events.append(
                (
                    submitted,
                    (
                        "patent.submitted",
                        "patent",
                        patent_id,
                        None,
                        {"number": resolved.canonical},
                        world.pool_id,
                    ),
                )
            )
            if status == "accepted":
                accepted.append(patent_id)
                rows.setdefault("patent_inclusion", []).append(
                    {
                        "id": ids.take("patent_inclusion"),
                        "patent_id": patent_id,
                        "pool_id": world.pool_id,
                        "country": resolved.country,
                        "start_on": date(2024, 1, 1),
                        "end_on": None,
                    }
                )
                events.append(
                    (
                        submitted + timedelta(days=20),
                        (
                            "patent.accepted",
                            "patent",
                            patent_id,
                            {"status": "under_evaluation"},
                            {"status": "accepted"},
                            world.pool_id,
                        ),
                    )
                )
    return accepted


def _licensee_name(rng: random.Random, n: int, used: set[str]) -> tuple[str, str]:
    if n % 7 == 6:
        name, country = f"{rng.choice(EN_BRANDS)} {rng.choice(EN_NOUNS)} Inc.", "US"
    else:
        name, country = (
            f"{rng.choice(CITIES)}市{rng.choice(BRANDS)}{rng.choice(TRADES)}有限公司",
            "CN",
        )
    while name in used:
        name = f"{name.removesuffix(f' {n}')} {n}"
    used.add(name)
    return name, country


def _licensees(rng, world, ids, rows, terms_id, patent_ids, password_hash, now, scale, events):  # type: ignore[no-untyped-def]
    """One agreement each (mostly active); two products, a report a quarter since it started,
    a royalty invoice per report (issued ten days after the quarter, due thirty days later),
    paid in full for most."""
    orgs = [world.licensee.organisation_id, world.other_licensee.organisation_id]
    used = {SEARCHED}
    searched_id = 0
    for n in range(3, LICENSEES * scale // 10 + 1):
        org = ids.take("organisation")
        name, country = (SEARCHED, "US") if n == 1017 else _licensee_name(rng, n, used)
        size = rng.choice(["micro", "small", "medium", "large"])
        rows.setdefault("organisation", []).append(
            _org(org, name, "private_company", size, country, now)
        )
        rows.setdefault("user", []).append(
            _user(ids, org, f"licensee-{n:04d}@example.org", "licensee", password_hash, now)
        )
        events.append(
            (
                now - timedelta(days=600),
                ("organisation.created", "organisation", org, None, {"name": name}, None),
            )
        )
        orgs.append(org)
    for n, org in enumerate(orgs):
        state = "active" if n in (0, 1016) else rng.choice(STATES)
        signed = date(2023, 6, 1) + timedelta(days=rng.randint(0, 540))
        agreement = ids.take("licence_agreement")
        searched_id = agreement if n == 1016 else searched_id
        rows.setdefault("licence_agreement", []).append(
            {
                "id": agreement,
                "pool_id": world.pool_id,
                "licensee_organisation_id": org,
                "terms_id": terms_id,
                "offer_id": None,
                "licence_type": "ordinary",
                "territory": ["CN", "US"],
                "product_categories": ["mobile", "TV"],
                "signed_on": signed,
                "start_on": signed,
                "end_on": signed + timedelta(days=1826),
                "state": state,
                "state_changed_on": signed + timedelta(days=30),
                "early_signer": n % 9 == 0,
                "payment_method": None,
                "filing_number": None if state == "draft" else f"HT-{agreement:06d}",
                "filed_on": None if state == "draft" else signed + timedelta(days=40),
                "created_at": now,
            }
        )
        at = datetime(signed.year, signed.month, signed.day, 10, tzinfo=UTC)
        events.append(
            (
                at,
                (
                    "agreement.created",
                    "licence_agreement",
                    agreement,
                    None,
                    {"state": "draft"},
                    world.pool_id,
                ),
            )
        )
        if state == "draft":
            continue
        events.append(
            (
                at + timedelta(days=1),
                (
                    f"agreement.{state}",
                    "licence_agreement",
                    agreement,
                    {"state": "draft"},
                    {"state": state},
                    world.pool_id,
                ),
            )
        )
        products = []
        for k, category in enumerate(["mobile", "TV"][: rng.randint(1, 2)]):
            products.append((ids.take("product"), category))
            rows.setdefault("product", []).append(
                {
                    "id": products[-1][0],
                    "agreement_id": agreement,
                    "licensee_organisation_id": org,
                    "name": f"{'Phone' if category == 'mobile' else 'Television'} {n}",
                    "model": f"M{n}-{k}",
                    "category": category,
                    "patent_ids": sorted(rng.sample(patent_ids, 5)),
                    "filing_code": f"PF-{world.pool_id}-2024-{products[-1][0]:05d}",
                    "registered_on": signed,
                    "created_at": now,
                }
            )
        for start, end in QUARTERS:
            if end <= signed or (state != "active" and start.year == 2025):
                continue
            _quarter(rng, world, ids, rows, events, agreement, org, products, start, end, now)
    return searched_id


def _quarter(rng, world, ids, rows, events, agreement, org, products, start, end, now):  # type: ignore[no-untyped-def]
    report, (product, category) = ids.take("usage_report"), rng.choice(products)
    units = rng.randint(1_000, 400_000)
    rate = 50 if category == "mobile" else 100
    submitted = datetime(end.year, end.month, end.day, 9, tzinfo=UTC) + timedelta(
        days=rng.randint(1, 9)
    )
    rows.setdefault("usage_report", []).append(
        {
            "id": report,
            "agreement_id": agreement,
            "licensee_organisation_id": org,
            "period_start": start,
            "period_end": end,
            "is_nil": False,
            "status": "accepted",
            "supersedes_id": None,
            "line_count": 1,
            "units_total": units,
            "net_sales_total_minor": units * 9_900,
            "content_sha256": f"{report:064x}",
            "submitted_by_user_id": None,
            "submitted_at": submitted,
        }
    )
    rows.setdefault("usage_report_line", []).append(
        {
            "id": ids.take("usage_report_line"),
            "report_id": report,
            "line_no": 1,
            "product_id": product,
            "category": category,
            "country_of_manufacture": "CN",
            "country_of_sale": "CN",
            "units": units,
            "net_sales_minor": units * 9_900,
            "upstream_paid_units": 0,
            "unit_price_minor": None,
        }
    )
    invoice, issued = ids.take("invoice"), end + timedelta(days=10)
    due, total = issued + timedelta(days=30), units * rate
    paid = due < now.date() and rng.random() < 0.85
    rows.setdefault("invoice", []).append(
        {
            "id": invoice,
            "pool_id": world.pool_id,
            "agreement_id": agreement,
            "licensee_organisation_id": org,
            "report_id": report,
            "kind": "royalty",
            "fee_kind": None,
            "number": f"INV-{invoice:06d}",
            "currency": "USD",
            "usage_start": start,
            "usage_end": end,
            "issued_on": issued,
            "due_on": due,
            "total_minor": total,
            "status": "paid" if paid else "open",
            "created_at": submitted,
        }
    )
    rows.setdefault("invoice_line", []).append(
        {
            "id": ids.take("invoice_line"),
            "invoice_id": invoice,
            "line_no": 1,
            "category": category,
            "country_of_manufacture": "CN",
            "country_of_sale": "CN",
            "units": units,
            "rate": f"0.{rate:02d}" if rate < 100 else "1.00",
            "amount_minor": total,
            "explanation": f"{units} units x {rate / 100:.2f} USD",
            "facts": None,
        }
    )
    events.append(
        (
            submitted,
            (
                "usage_report.accepted",
                "usage_report",
                report,
                None,
                {"units": units},
                world.pool_id,
            ),
        )
    )
    events.append(
        (
            submitted,
            ("invoice.issued", "invoice", invoice, None, {"total_minor": total}, world.pool_id),
        )
    )
    if not paid:
        return
    payment, received = ids.take("payment"), due - timedelta(days=rng.randint(0, 25))
    rows.setdefault("payment", []).append(
        {
            "id": payment,
            "pool_id": world.pool_id,
            "licensee_organisation_id": org,
            "reference": f"BANK-{payment:06d}",
            "currency": "USD",
            "amount_minor": total,
            "received_on": received,
            "recorded_by_user_id": world.admin.user_id,
            "created_at": submitted,
        }
    )
    rows.setdefault("payment_allocation", []).append(
        {
            "id": ids.take("payment_allocation"),
            "payment_id": payment,
            "invoice_id": invoice,
            "amount_minor": total,
            "allocated_on": received,
        }
    )
    at = datetime(received.year, received.month, received.day, 15, tzinfo=UTC)
    events.append(
        (at, ("payment.recorded", "payment", payment, None, {"amount_minor": total}, world.pool_id))
    )
    events.append(
        (
            at,
            (
                "invoice.paid",
                "invoice",
                invoice,
                {"status": "open"},
                {"status": "paid"},
                world.pool_id,
            ),
        )
    )
