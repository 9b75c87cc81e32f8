"""What the demo's licensees report, from seeds per licensee and quarter: units by country
of manufacture and of sale, net sales, now and then units paid upstream; and the same lines as
a CSV upload. No database."""

import csv
import io
import random

from pool.models.reporting import UsageLineIn
from scheduler.demo.records import LicenseePlan

PRICES = {"mobile": (80_000, 300_000), "tv": (120_000, 600_000), "iot": (9_900, 59_900)}
PRODUCTS = {
    "mobile": ("Smartphone", "智能手机"),
    "tv": ("Smart TV", "智能电视"),
    "iot": ("Network camera", "网络摄像机"),
}
SALES = ["CN"] * 12 + ["US"] * 3 + ["DE", "FR", "JP", "KR", "IN", "BR", "GB"]
SEASON = {1: 0.9, 2: 1.0, 3: 1.05, 4: 1.3}


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
