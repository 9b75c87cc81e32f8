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

from contracts import InvoiceLine, LineBasis, RoyaltyResult
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
            royalty(line),
        )
        for number, line in enumerate(result.lines, start=1)
    ]


def _number(value: Decimal) -> str:
    """A factor without trailing zeros: ``1.00`` -> ``1``, ``0.50`` -> ``0.5``."""
    return f"{value.normalize():f}"


def _text(facts: dict[str, Any]) -> str:
    return json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def royalty(line: InvoiceLine) -> str:
    """A royalty line's facts (lines that charge nothing need only their basis and units)."""
    facts: dict[str, Any] = {"basis": str(line.basis), "units": line.units}
    if line.basis not in PRICED:
        return _text(facts)
    if line.basis is LineBasis.PERCENT_OF_NET_SALES:
        facts["percent"] = f"{line.rate:f}"
        facts["line_units"] = line.line_units
        facts["net_sales_minor"] = line.net_sales_minor
    else:
        facts["rate"] = f"{line.rate:f}"
        facts["tier"] = None if line.tier is None else line.tier + 1  # counted from 1
        facts["band"] = None if line.band is None else line.band + 1
        facts["unit_price_minor"] = line.unit_price_minor
    facts["discounts"] = [
        {"kind": str(d.kind), "detail": d.detail, "multiplier": _number(d.multiplier)}
        for d in line.discounts
    ]
    facts["stacking"] = str(line.stacking)
    facts["multiplier"] = _number(line.multiplier)
    facts["amount_before_cap_minor"] = line.amount_before_cap_minor
    facts["caps"] = [{"category": cap.category} for cap in line.caps]
    facts["cap_reduction_minor"] = line.cap_reduction_minor
    facts["amount_minor"] = line.amount_minor
    return _text(facts)


def fee(kind: str, on: date, amount_minor: int) -> str:
    """A fixed fee's facts: which fee (`entry_fee`, `annual_fee`), its date, its amount."""
    return _text({"basis": kind, "fee_date": on.isoformat(), "amount_minor": amount_minor})


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
