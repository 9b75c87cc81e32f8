"""The demo's patents, planned from the seed: families of one invention in several
countries with valid-looking numbers, a few expiring during the year, rejected or still
pending. No database."""

import random
from dataclasses import replace
from datetime import date, timedelta
from functools import partial

from pool.validation import cn_application_check_digit
from scheduler.demo.records import Org, PatentPlan, unique

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


def patents(rng: random.Random, owners: list[Org], count: int, year: int) -> list[PatentPlan]:
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
                number = unique(numbers, partial(_number, rng, country, filed))
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
