"""The report CSV's friendlier columns, and its template.

A usage report CSV may name its product by filing code (`product`, e.g. `PF-3-2025-00012`)
instead of its internal id (`product_id`), and give amounts in major units (`net_sales`,
`unit_price`: `45000.00` yuan) instead of minor units (`net_sales_minor`, `unit_price_minor`).
Either spelling of each column is accepted, never both. Amounts in major units are read
exactly (`Decimal`, no float): only plain decimals, with at most the currency's decimals; any
other text is a fault naming the line and the column as the file spells it. The template an
agreement's licensee downloads uses the friendly columns, one example line per registered
product (units and net sales left for the licensee to fill in)."""

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from pool.models.integers import MAX_MINOR

ALIASES = {
    "product": "product_id",
    "net_sales": "net_sales_minor",
    "unit_price": "unit_price_minor",
}
TEMPLATE_COLUMNS = (
    "product",
    "country_of_manufacture",
    "country_of_sale",
    "units",
    "net_sales",
    "upstream_paid_units",
    "unit_price",
)
PLAIN = re.compile(r"[0-9]{1,16}(\.[0-9]{1,12})?")


@dataclass(frozen=True)
class Columns:
    """A file's header: its columns by the importer's names, and how the file spells them."""

    names: list[str]
    spelled: dict[str, str]  # importer's name -> the file's, where they differ
    friendly: dict[int, str]  # position -> the file's name, for columns converted here


def read_header(header: list[str] | None) -> tuple[list[str] | None, Columns]:
    """The header with friendly names replaced by the importer's (to check as before)."""
    if not header:
        return header, Columns([], {}, {})
    given = [h.strip().lower() for h in header]
    names = [ALIASES.get(n, n) for n in given]
    spelled = {ALIASES[n]: n for n in given if n in ALIASES}
    friendly = {i: n for i, n in enumerate(given) if n in ALIASES}
    return names, Columns(names, spelled, friendly)


def amount(text: str, exponent: int, currency: str) -> int | str:
    """Major units as exact minor units, or why not (a message for the line's fault)."""
    text = text.strip()
    if not text:
        return "required"
    if text.startswith("-") and PLAIN.fullmatch(text[1:]):
        return "must not be negative"
    if not PLAIN.fullmatch(text):
        return f"{text[:20]!r} is not an amount such as 1250.00"
    scaled = Decimal(text).scaleb(exponent)
    if scaled != scaled.to_integral_value():
        return f"{text!r} has more decimals than {currency} has ({exponent})"
    if scaled > MAX_MINOR:
        return f"at most {Decimal(MAX_MINOR).scaleb(-exponent)}"
    return int(scaled)


def convert(
    values: list[str], columns: Columns, codes: dict[str, int], exponent: int, currency: str
) -> tuple[list[str], list[tuple[str, str]]]:
    """A line's friendly values as the importer's (ids, minor units), and their faults.
    A faulty value becomes `0` so it is reported once, here."""
    out = list(values)
    faults: list[tuple[str, str]] = []
    for position, name in columns.friendly.items():
        text = values[position]
        if name == "product":
            found = codes.get(text.strip().upper())
            if found is None:
                faults.append(
                    (name, f"no registered product {text.strip()[:40]!r} on this agreement")
                )
            out[position] = str(found or 0)
            continue
        if name == "unit_price" and not text.strip():
            continue
        value = amount(text, exponent, currency)
        if isinstance(value, str):
            faults.append((name, value))
        out[position] = "0" if isinstance(value, str) else str(value)
    return out, faults


def template(codes: list[str], country: str) -> str:
    """The CSV a licensee fills in: the header, one line per registered product."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    for code in codes:
        writer.writerow([code, country, country, "", "", "", ""])
    return out.getvalue()
