"""An invoice's lines as stored: the columns, and the facts their words are written from.

`contracts` explains each line in one English sentence (`explanation`, kept as it is: tests
and the audit trail read it). People read a line in their own language with money in major
units, so the facts behind the sentence are stored too, as canonical JSON text in `facts`
(sorted keys, no spaces: the audit digests the very bytes stored, on SQLite and PostgreSQL
alike), and the words are written when the line is shown
(`templates/web/licensee/_invoice_words.html.j2`). The keys are listed in docs/ledger.md,
"What a licensee reads, in its language". Lines issued before migration 0011 have no facts.
"""

import json
from datetime import date
from decimal import Decimal
from typing import Any

from contracts import AppliedDiscounts, InvoiceLine, LineBasis, RoyaltyResult
from pool.models.billing import InvoiceLine as StoredLine
from pool.models.billing import InvoiceLineRead

PRICED = (LineBasis.PER_UNIT, LineBasis.PERCENT_OF_NET_SALES)
COLUMNS = (
    "invoice_id",
    "line_no",
    "category",
    "country_of_manufacture",
    "country_of_sale",
    "units",
    "rate",
    "amount_minor",
    "explanation",
    "facts",
)


def rows(invoice_id: int, result: RoyaltyResult) -> list[tuple[Any, ...]]:
    """The rows of `COLUMNS` that store a royalty invoice's lines, numbered from 1."""
    shared: dict[tuple[int, Decimal], tuple[str, str, str]] = {}
    return [
        (
            invoice_id,
            number,
            line.category,
            line.country_of_manufacture,
            line.country_of_sale,
            line.units,
            f"{line.rate:f}",
            line.amount_minor,
            f"[{line.basis}] {line.explanation}"[:1000],
            royalty(line, shared),
        )
        for number, line in enumerate(result.lines, start=1)
    ]


def _number(value: Decimal) -> str:
    """A factor without trailing zeros: ``1.00`` -> ``1``, ``0.50`` -> ``0.5``."""
    return f"{value.normalize():f}"


def _text(facts: Any) -> str:
    return json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _null(value: int | None) -> str:
    return "null" if value is None else str(value)


def royalty(
    line: InvoiceLine, shared: dict[tuple[int, Decimal], tuple[str, str, str]] | None = None
) -> str:
    """A royalty line's facts as `_text` writes them (lines that charge nothing need only their
    basis and units). Written by hand, key by key in sorted order, because a report may have
    100,000 lines: `json.dumps` per line doubled the time to issue its invoice. What all lines
    sold in one country share (their discounts and factor) is written once per call
    (`shared`, by the identity of the line's `discounts` and its factor)."""
    if line.basis not in PRICED or line.usage is None:
        return f'{{"basis":"{line.basis}","units":{line.units}}}'
    shared = {} if shared is None else shared
    key = (id(line.discounts), line.multiplier)
    if key not in shared:
        applied = line.discounts or AppliedDiscounts()
        items = [
            {"kind": str(d.kind), "detail": d.detail, "multiplier": _number(d.multiplier)}
            for d in applied.items
        ]
        shared[key] = (_text(items), _number(line.multiplier), str(applied.stacking))
    discounts, multiplier, stacking = shared[key]
    caps = _text([{"category": cap.category} for cap in line.caps]) if line.caps else "[]"
    head = (
        f'{{"amount_before_cap_minor":{line.amount_before_cap_minor},'
        f'"amount_minor":{line.amount_minor},'
    )
    money = (
        f'"cap_reduction_minor":{line.cap_reduction_minor},"caps":{caps},"discounts":{discounts},'
    )
    usage = line.usage
    if line.basis is LineBasis.PERCENT_OF_NET_SALES:
        return (
            f'{head}"basis":"percent_of_net_sales",{money}"line_units":{usage.units},'
            f'"multiplier":"{multiplier}","net_sales_minor":{usage.net_sales_minor},'
            f'"percent":"{line.rate:f}","stacking":"{stacking}","units":{line.units}}}'
        )
    tier = None if line.tier is None else line.tier + 1  # counted from 1
    band = None if line.band is None else line.band + 1
    price = usage.unit_price_minor if band is not None else None
    return (
        f'{head}"band":{_null(band)},"basis":"per_unit",{money}"multiplier":"{multiplier}",'
        f'"rate":"{line.rate:f}","stacking":"{stacking}","tier":{_null(tier)},'
        f'"unit_price_minor":{_null(price)},"units":{line.units}}}'
    )


def fee(kind: str, on: date, amount_minor: int) -> str:
    """A fixed fee's facts: which fee (`entry_fee`, `annual_fee`), its date, its amount."""
    return _text({"basis": kind, "fee_date": on.isoformat(), "amount_minor": amount_minor})


def evaluation_fee(patent_number: str, on: date, amount_minor: int) -> str:
    """An evaluation fee's facts: the patent evaluated and the day its evaluation began."""
    return _text(
        {
            "basis": "evaluation_fee",
            "patent_number": patent_number,
            "fee_date": on.isoformat(),
            "amount_minor": amount_minor,
        }
    )


def facts_of(text: str | None) -> dict[str, Any] | None:
    """Stored facts as data, a fee's date as a date; none for lines issued before 0011."""
    if text is None:
        return None
    facts = dict(json.loads(text))
    if "fee_date" in facts:
        facts["fee_date"] = date.fromisoformat(facts["fee_date"])
    return facts


def read(line: StoredLine) -> InvoiceLineRead:
    """A stored line as the API and the pages read it, its facts as data."""
    return InvoiceLineRead.model_validate({**line.model_dump(), "facts": facts_of(line.facts)})
