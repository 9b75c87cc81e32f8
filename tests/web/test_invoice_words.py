"""An invoice line's computation in words (templates/web/licensee/_invoice_words.html.j2), in
English and in Chinese, with money in major units: each line is charged by `contracts`, its
facts stored as `invoices.issue` stores them (`invoice_lines.royalty`) and read back as the
pages read them, then written out. One case per basis, discount, stacking, cap and fee; a line
issued before facts were stored shows its English explanation."""

import json
import re
from datetime import date
from html import unescape
from typing import Any

import pytest

from contracts import LicenseeProfile, YearToDate, parse_report, parse_terms, royalty_due
from pool.rendering import environment, locale_of
from pool.services.billing import invoice_lines

SOURCE = (
    '{% from "web/licensee/_invoice_words.html.j2" import line_words %}'
    "{{ line_words(line, currency) }}"
)
ROUNDED = "rounded to the nearest CN¥0.01 (half to even): "
ROUNDED_ZH = "按四舍六入五成双（银行家舍入）精确到 ¥0.01："


def words(locale: str, line: Any, currency: str = "CNY") -> str:
    with locale_of(locale):
        html = environment().from_string(SOURCE).render(line=line, currency=currency)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def charged(
    categories: list[dict[str, Any]],
    lines: list[dict[str, Any]],
    profile: LicenseeProfile,
    currency: str = "CNY",
    **terms: Any,
) -> list[dict[str, Any]]:
    """The lines `royalty_due` charges for Q1 2025 (in CNY unless said), as the pages read them:
    their facts through the stored JSON text (patents in force everywhere but Thailand)."""
    royalty = parse_terms(
        {
            "terms_version": "t",
            "currency": currency,
            "minor_unit_exponent": 0 if currency == "JPY" else 2,
            "categories": categories,
            **terms,
        }
    )
    defaults = {"country_of_manufacture": "TH", "country_of_sale": "US", "net_sales_minor": 0}
    report = parse_report(
        {
            "currency": currency,
            "period": {"start": "2025-01-01", "end": "2025-04-01"},
            "lines": [{"category": categories[0]["category"], **defaults, **x} for x in lines],
        }
    )
    result = royalty_due(
        royalty,
        report,
        YearToDate.start_of(2025),
        profile=profile,
        in_force=lambda country, period: country != "TH",
    )
    texts = [row[-1] for row in invoice_lines.rows(1, result)]
    for text in texts:  # the stored text is canonical JSON, written by hand for speed
        canonical = json.loads(text)
        assert text == json.dumps(
            canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
    return [{"facts": invoice_lines.facts_of(text), "explanation": "unused"} for text in texts]


LARGE = LicenseeProfile(size_class="large")
FLAT = [{"category": "TV", "rate": "0.50"}]
PERCENT = [{"category": "PC", "basis": "percent_of_net_sales", "percent": "1.5"}]
TIERS = [
    {
        "category": "TV",
        "tiers": [{"from_units": 0, "rate": "1.00"}, {"from_units": 1000, "rate": "0.60"}],
    }
]
BANDS = [
    {
        "category": "TV",
        "bands": [
            {"lower_minor": 0, "upper_minor": 10000, "upper_inclusive": True, "rate": "0.20"},
            {"lower_minor": 10000, "lower_inclusive": False, "rate": "1.00"},
        ],
    }
]
ALL_DISCOUNTS = {
    "order": ["sme", "region", "early_signer", "good_standing"],
    "sme": {"small": "0.8"},
    "regions": [{"country": "IN", "multiplier": "0.5"}],
    "early_signer": "0.9",
    "good_standing": "0.95",
}
EVERY_FLAG = LicenseeProfile(size_class="small", early_signer=True, good_standing=True)

CASES = [
    pytest.param(
        # 964,600.32 x 1.5 % x 0.5 = 7,234.50240 -> 7,234.50
        PERCENT,
        [{"units": 2272, "net_sales_minor": 96460032}],
        LicenseeProfile(size_class="micro"),
        {"discounts": {"order": ["sme"], "sme": {"micro": "0.5"}}},
        [
            "1.5% of net sales of CN¥964,600.32 for 2,272 of 2,272 units; SME (micro) discount"
            f" × 0.5; {ROUNDED}CN¥7,234.50"
        ],
        [
            "净销售额 ¥964,600.32 的 1.5%（本行 2,272 件中计费 2,272 件）；中小企业（微型）优惠"
            f" × 0.5；{ROUNDED_ZH}¥7,234.50"
        ],
        id="percent-of-net-sales-sme",
    ),
    pytest.param(
        # 272 units paid upstream; 1.5 % of 1,000.00 x 2,000/2,272 = 13.2042... -> 13.20
        PERCENT,
        [{"units": 2272, "net_sales_minor": 100000, "upstream_paid_units": 272}],
        LARGE,
        {},
        [
            "272 units whose royalty was already paid upstream: no royalty",
            f"1.5% of net sales of CN¥1,000.00 for 2,000 of 2,272 units; {ROUNDED}CN¥13.20",
        ],
        [
            "272 件的许可费已在上游支付：不收许可费",
            f"净销售额 ¥1,000.00 的 1.5%（本行 2,272 件中计费 2,000 件）；{ROUNDED_ZH}¥13.20",
        ],
        id="upstream-paid-and-a-share",
    ),
    pytest.param(
        FLAT,
        [{"units": 1, "country_of_sale": "TH"}, {"units": 100}],
        LARGE,
        {"free_units_per_year": 60},
        [
            "1 unit: no pool patent in force in the country of manufacture or of sale, so no"
            " royalty",
            "60 units within the year's free allowance: no royalty",
            f"40 units × CN¥0.50 per unit; {ROUNDED}CN¥20.00",
        ],
        [
            "1 件：制造国和销售国均无有效的池内专利，不收许可费",
            "60 件在本年度免费额度内：不收许可费",
            f"40 件 × 每件 ¥0.50；{ROUNDED_ZH}¥20.00",
        ],
        id="not-in-force-free-allowance-flat",
    ),
    pytest.param(
        TIERS,
        [{"units": 1500}],
        LARGE,
        {},
        [
            f"1,000 units × CN¥1.00 per unit (volume tier 1); {ROUNDED}CN¥1,000.00",
            f"500 units × CN¥0.60 per unit (volume tier 2); {ROUNDED}CN¥300.00",
        ],
        [
            f"1,000 件 × 每件 ¥1.00（数量阶梯第 1 档）；{ROUNDED_ZH}¥1,000.00",
            f"500 件 × 每件 ¥0.60（数量阶梯第 2 档）；{ROUNDED_ZH}¥300.00",
        ],
        id="tiers",
    ),
    pytest.param(
        BANDS,
        [{"units": 10, "unit_price_minor": 12000}],
        LARGE,
        {},
        [f"10 units × CN¥1.00 per unit (price band 2, unit price CN¥120.00); {ROUNDED}CN¥10.00"],
        [f"10 件 × 每件 ¥1.00（价格区间第 2 档，单价 ¥120.00）；{ROUNDED_ZH}¥10.00"],
        id="price-band",
    ),
    pytest.param(
        # 1,001 x 0.50 x 0.8 x 0.5 x 0.9 x 0.95 = 171.171 -> 171.17
        FLAT,
        [{"units": 1001, "country_of_sale": "IN"}],
        EVERY_FLAG,
        {"discounts": ALL_DISCOUNTS},
        [
            "1,001 units × CN¥0.50 per unit; SME (small) discount × 0.8; discount for sales in"
            " IN × 0.5; early-signer discount × 0.9; good-standing discount × 0.95; all"
            f" discounts together (multiplied) × 0.342; {ROUNDED}CN¥171.17"
        ],
        [
            "1,001 件 × 每件 ¥0.50；中小企业（小型）优惠 × 0.8；在 IN 销售的地区优惠 × 0.5；"
            "早期签约优惠 × 0.9；信用良好优惠 × 0.95；各项优惠合计（连乘）× 0.342；"
            f"{ROUNDED_ZH}¥171.17"
        ],
        id="four-discounts-compound",
    ),
    pytest.param(
        # off: 20 % + 50 % = 70 % -> x 0.3; 100 x 0.50 x 0.3 = 15.00
        FLAT,
        [{"units": 100, "country_of_sale": "IN"}],
        LicenseeProfile(size_class="small"),
        {"discounts": {**ALL_DISCOUNTS, "stacking": "additive"}},
        [
            "100 units × CN¥0.50 per unit; SME (small) discount × 0.8; discount for sales in IN"
            " × 0.5; all discounts together (percentages off added up) × 0.3;"
            f" {ROUNDED}CN¥15.00"
        ],
        [
            "100 件 × 每件 ¥0.50；中小企业（小型）优惠 × 0.8；在 IN 销售的地区优惠 × 0.5；"
            f"各项优惠合计（减免比例相加）× 0.3；{ROUNDED_ZH}¥15.00"
        ],
        id="two-discounts-additive",
    ),
    pytest.param(
        # 100 x 5.00 = 500.00; the annual cap leaves 300.00 of it
        [{"category": "TV", "rate": "5.00"}],
        [{"units": 100}],
        LARGE,
        {"annual_cap_minor": 30000},
        [
            f"100 units × CN¥5.00 per unit; {ROUNDED}CN¥500.00; cut by CN¥200.00 to CN¥300.00"
            " by the annual cap"
        ],
        [f"100 件 × 每件 ¥5.00；{ROUNDED_ZH}¥500.00；受年度上限限制，减少 ¥200.00，计 ¥300.00"],
        id="annual-cap",
    ),
    pytest.param(
        [{"category": '电视 "4K"', "rate": "5.00", "annual_cap_minor": 20000}],
        [{"units": 100}],
        LARGE,
        {"annual_cap_minor": 25000},
        [
            f"100 units × CN¥5.00 per unit; {ROUNDED}CN¥500.00; cut by CN¥300.00 to CN¥200.00"
            ' by the annual cap and the annual cap for 电视 "4K"'
        ],
        [
            f'100 件 × 每件 ¥5.00；{ROUNDED_ZH}¥500.00；受年度上限和“电视 "4K"”类别年度上限限制，'
            "减少 ¥300.00，计 ¥200.00"
        ],
        id="annual-and-category-caps",
    ),
]


@pytest.mark.parametrize(("categories", "lines", "profile", "terms", "english", "chinese"), CASES)
def test_each_line_in_words(
    categories: list[dict[str, Any]],
    lines: list[dict[str, Any]],
    profile: LicenseeProfile,
    terms: dict[str, Any],
    english: list[str],
    chinese: list[str],
) -> None:
    found = charged(categories, lines, profile, **terms)
    assert [words("en", line) for line in found] == english
    assert [words("zh_CN", line) for line in found] == chinese


@pytest.mark.parametrize(
    ("kind", "english", "chinese"),
    [
        ("entry_fee", "Entry fee, billed on Jan 1, 2025", "入门费，计费日 2025年1月1日"),
        ("annual_fee", "Annual fee, billed on Jan 1, 2026", "年费，计费日 2026年1月1日"),
    ],
)
def test_fixed_fees_in_words(kind: str, english: str, chinese: str) -> None:
    on = date(2025, 1, 1) if kind == "entry_fee" else date(2026, 1, 1)
    line = {"facts": invoice_lines.facts_of(invoice_lines.fee(kind, on, 500_00)), "explanation": ""}
    assert (words("en", line), words("zh_CN", line)) == (english, chinese)


def test_a_line_from_before_facts_were_stored_shows_its_explanation() -> None:
    old = {"facts": None, "explanation": "[per_unit] 100 units x 0.5 per unit, flat rate; <b>"}
    with locale_of("zh_CN"):
        html = environment().from_string(SOURCE).render(line=old, currency="CNY")
    assert html == "[per_unit] 100 units x 0.5 per unit, flat rate; &lt;b&gt;"  # escaped


def test_a_currency_without_decimals_rounds_to_whole_units() -> None:
    # 3 x 0.50 yen = 1.5 yen, half to even: 2 yen
    (line,) = charged(FLAT, [{"units": 3}], LARGE, currency="JPY")
    assert words("en", line, "JPY") == (
        "3 units × ¥0.5 per unit; rounded to the nearest ¥1 (half to even): ¥2"
    )


def test_a_discount_that_changes_nothing_is_not_written() -> None:
    # the terms leave large enterprises at full price ("1.00"): only good standing applies
    discounts = {
        "order": ["sme", "good_standing"],
        "sme": {"large": "1.00"},
        "good_standing": "0.95",
    }
    profile = LicenseeProfile(size_class="large", good_standing=True)
    (line,) = charged(FLAT, [{"units": 100}], profile, discounts=discounts)
    assert line["facts"]["discounts"][0] == {"kind": "sme", "detail": "large", "multiplier": "1"}
    assert words("en", line) == (
        f"100 units × CN¥0.50 per unit; good-standing discount × 0.95; {ROUNDED}CN¥47.50"
    )
