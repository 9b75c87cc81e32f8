"""The demo's organisations, planned from the seed: Chinese contributors (universities,
companies, research institutes, state-owned enterprises, each with a valid unified social
credit code), every fifth one a non-resident from abroad, and licensees of every size, a
seventh of them abroad. No database."""

import random
from decimal import Decimal
from functools import partial

from pool.models.organisation import OrganisationKind, SizeClass
from pool.validation import org_code_check_char, uscc_check_char
from scheduler.demo.records import CONTRIBUTOR_EMAIL, LICENSEE_EMAIL, Org, unique

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


def make_uscc(rng: random.Random, authority: str) -> str:
    """A valid unified social credit code (both check characters right)."""
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    prefix = f"{authority}{rng.choice(CN_REGIONS)}{body}{org_code_check_char(body)}"
    return prefix + uscc_check_char(prefix)


def contributors(rng: random.Random, count: int) -> list[Org]:
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
        uscc = make_uscc(rng, "12" if public else "91")
        name = unique(used, partial(_chinese_contributor, rng, kind))
        made.append(Org(key, name, kind, "CN", "zh-CN", size, uscc, Decimal(0), email))
    return made


def _chinese_contributor(rng: random.Random, kind: OrganisationKind) -> str:
    place = rng.choice(CN_PLACES)
    if kind == OrganisationKind.UNIVERSITY:
        return f"{place}{rng.choice(['理工', '信息科技', '电子科技', '交通'])}大学"
    if kind == OrganisationKind.RESEARCH_INSTITUTE:
        return f"{place}{rng.choice(['通信技术研究院', '数字媒体研究所', '微电子研究所'])}"
    if kind == OrganisationKind.STATE_OWNED_ENTERPRISE:
        return f"{place}{rng.choice(['电子信息', '广电', '通信'])}集团有限公司"
    return f"{rng.choice(CN_CITIES)}市{rng.choice(CN_BRANDS)}视频技术有限公司"


def licensee_org(rng: random.Random, index: int, size: SizeClass, used: set[str]) -> Org:
    key = f"l{index + 1:03d}"
    email = LICENSEE_EMAIL if index == 0 else f"licensee-{index + 1:03d}@example.org"
    if index % 7 == 6:
        country = rng.choice(["US", "DE", "JP", "KR", "IN", "GB"])
        name = unique(
            used,
            lambda: (
                f"{rng.choice(EN_BRANDS)} {rng.choice(EN_NOUNS)} {EN_SUFFIX.get(country, 'Ltd.')}"
            ),
        )
        kind = OrganisationKind.PRIVATE_COMPANY
        return Org(key, name, kind, country, "en", size, None, Decimal(0), email)
    name = unique(
        used,
        lambda: f"{rng.choice(CN_CITIES)}市{rng.choice(CN_BRANDS)}{rng.choice(CN_TRADES)}有限公司",
    )
    uscc = make_uscc(rng, "91")
    kind = OrganisationKind.PRIVATE_COMPANY
    return Org(key, name, kind, "CN", "zh-CN", size, uscc, Decimal(0), email)
