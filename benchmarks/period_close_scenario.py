"""period_close.py's fixed data: the calendar, the actor, the countries, the licence terms."""

from datetime import UTC, date, datetime
from typing import Any

from pool.services import audit

COUNTRIES = ("CN", "US", "DE", "JP", "KR", "IN")
COUNTRY_WEIGHTS = (35, 20, 10, 12, 13, 10)
SOLD_IN = (*COUNTRIES, "BR", "VN", "GB")
MADE_IN = ("CN", "CN", "CN", "VN", "IN", "KR", "DE")
USAGE_START = date(2025, 4, 1)
PERIOD_START = date(2025, 7, 1)
SETUP_NOW = datetime(2025, 6, 1, 9, tzinfo=UTC)
CLOSE_NOW = datetime(2025, 11, 1, 3, tzinfo=UTC)  # the day Q3 closes (reports due + 1)
ACTOR = audit.Actor.system("bench")
BATCH = 25  # scheduler.jobs.ISSUE_BATCH
PER_UNIT: dict[str, Any] = {
    "terms_version": "unit",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [
        {"category": "mobile", "basis": "per_unit", "tiers": [{"from_units": 0, "rate": "0.50"}]},
        {"category": "TV", "basis": "per_unit", "tiers": [{"from_units": 0, "rate": "1.20"}]},
    ],
}
PERCENT: dict[str, Any] = {
    "terms_version": "percent",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [
        {"category": "PC", "basis": "percent_of_net_sales", "percent": "1.5"},
        {"category": "tablet", "basis": "percent_of_net_sales", "percent": "2.0"},
    ],
}
SURNAMES = "北京上海清华浙江复旦南京武汉中山华中西安"
