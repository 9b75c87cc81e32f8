"""SWIFT MT940 customer statements, read strictly, line by line.

Why not the `mt-940` package: it accepts what it cannot parse (an unknown tag, a garbled
statement line, a file that is not MT940 at all all come back as "no transactions") and writes
its debugging to standard output, while an import here must refuse a bad file whole and say
which line is wrong. The handful of tags a statement uses are read here; the tests check this
reader against `mt-940` on well-formed files.

Tags: `:20:` statement reference, `:25:` account, `:28C:` statement number, `:60F:`/`:60M:`
opening balance (which gives the currency), `:61:` a statement line, `:86:` its details (free
text, or German-style `?20`..`?29` remittance, `?31` payer account, `?32`/`?33` payer name),
`:62F:`/`:62M:` closing, `:64:`/`:65:` available balances. A SWIFT envelope (`{1:...}{4:` and
`-}`) is allowed around them."""

import re
from dataclasses import dataclass, field
from datetime import date

from pool.errors import FieldError, InvalidInput
from pool.rendering import Phrase
from pool.services.billing.bank.credits import (
    BankCredit,
    BankStatement,
    amount_minor,
    entry_digest,
)

_TAG = re.compile(r"^:(?P<tag>\d{2}[A-Z]?):(?P<value>.*)$")
_BALANCE = re.compile(r"^(?P<mark>[CD])(?P<date>\d{6})(?P<currency>[A-Z]{3})(?P<amount>[\d,]+)$")
_LINE = re.compile(
    r"^(?P<value>\d{6})(?P<entry>\d{4})?(?P<mark>RC|RD|C|D)(?P<funds>[A-Z])?"
    r"(?P<amount>\d[\d,]{0,14})(?P<type>[NSF][A-Z0-9]{3})"
    r"(?P<customer>(?:(?!//).){0,16})(?://(?P<bank>.{1,16}))?$"
)
_SUBFIELD = re.compile(r"\?(\d{2})")
KNOWN_TAGS = {"20", "21", "25", "28C", "28", "60F", "60M", "61", "86", "62F", "62M", "64", "65"}


@dataclass
class _Entry:
    line: int
    value_on: date
    booked_on: date
    mark: str
    amount: str
    customer_reference: str
    bank_reference: str
    supplementary: str = ""
    details: list[str] = field(default_factory=list)


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(
        "the bank statement is not text", [FieldError("neither UTF-8 nor GB18030", line=1)]
    )


def _yymmdd(text: str) -> date:
    return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))


def _booking_date(value_on: date, mmdd: str | None) -> date:
    """The entry date carries no year: the one nearest the value date (a booking on 31
    December for a value date of 2 January belongs to the year before)."""
    if not mmdd:
        return value_on
    candidates = []
    for year in (value_on.year - 1, value_on.year, value_on.year + 1):
        try:
            candidates.append(date(year, int(mmdd[:2]), int(mmdd[2:])))
        except ValueError:
            continue
    if not candidates:
        raise ValueError(f"entry date {mmdd!r} is not a date")
    return min(candidates, key=lambda day: abs((day - value_on).days))


def _blocks(text: str) -> list[tuple[int, str, str]]:
    """(line, tag, value) with continuation lines joined by newlines; the envelope dropped."""
    blocks: list[tuple[int, str, str]] = []
    faults: list[FieldError] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if "{4:" in line:
            line = line.split("{4:", 1)[1]
        if not line or line in ("-}", "-") or (line.startswith("{") and not blocks):
            continue
        match = _TAG.match(line)
        if match:
            tag = match["tag"]
            if tag not in KNOWN_TAGS:
                faults.append(
                    FieldError(
                        Phrase("unknown tag :%(tag)s:", tag=tag), line=number, column=f":{tag}:"
                    )
                )
            blocks.append((number, tag, match["value"]))
        elif blocks:
            start, tag, value = blocks[-1]
            blocks[-1] = (start, tag, f"{value}\n{line}")
        else:
            faults.append(FieldError("an MT940 statement starts with a tag such as :20:", line=1))
            break
    if faults:
        raise InvalidInput("the MT940 statement could not be read", faults)
    if not blocks:
        raise InvalidInput("the MT940 statement is empty", [FieldError("no tags", line=1)])
    return blocks


def _details(text: str) -> tuple[str, str, str]:
    """(remittance, payer name, payer account) from a :86: field."""
    flat = text.replace("\n", "")
    if not _SUBFIELD.search(flat):
        return " ".join(text.split()), "", ""
    parts = _SUBFIELD.split(flat)
    fields: dict[int, str] = {}
    for code, value in zip(parts[1::2], parts[2::2], strict=True):
        fields[int(code)] = fields.get(int(code), "") + value
    remittance = "".join(fields.get(n, "") for n in range(20, 30))
    name = "".join(fields.get(n, "") for n in (32, 33))
    return remittance.strip(), name.strip(), fields.get(31, "").strip()


def _readable(error: ValueError) -> str:
    text = str(error)
    return "not a date" if "out of range" in text or "must be in" in text else text


def read_mt940(content: bytes) -> BankStatement:
    """The credits of an MT940 file; InvalidInput naming every faulty line otherwise."""
    blocks = _blocks(_decode(content))
    faults: list[FieldError] = []
    references: list[str] = []
    accounts: set[str] = set()
    currency = ""
    entries: list[_Entry] = []
    for line, tag, value in blocks:
        column = f":{tag}:"
        try:
            if tag == "20":
                references.append(value.strip())
            elif tag == "25":
                accounts.add(value.strip())
            elif tag in ("60F", "60M", "62F", "62M", "64", "65"):
                balance = _BALANCE.match(value.strip())
                if balance is None:
                    raise ValueError("a balance is C or D, YYMMDD, currency, amount")
                _yymmdd(balance["date"])
                amount_minor(balance["amount"], balance["currency"], decimal_comma=True)
                if tag.startswith("60"):
                    currency = balance["currency"]
            elif tag == "61":
                first, _, supplementary = value.partition("\n")
                parsed = _LINE.match(first)
                if parsed is None:
                    raise ValueError(
                        "a statement line is YYMMDD[MMDD], C/D/RC/RD, amount, type code, "
                        "reference[//bank reference]"
                    )
                value_on = _yymmdd(parsed["value"])
                entries.append(
                    _Entry(
                        line=line,
                        value_on=value_on,
                        booked_on=_booking_date(value_on, parsed["entry"]),
                        mark=parsed["mark"],
                        amount=parsed["amount"],
                        customer_reference=parsed["customer"].strip(),
                        bank_reference=(parsed["bank"] or "").strip(),
                        supplementary=supplementary.strip(),
                    )
                )
                if not currency:
                    raise ValueError("a statement line before the opening balance (:60F:)")
                amount_minor(parsed["amount"], currency, decimal_comma=True)
            elif tag == "86" and entries and entries[-1].line < line:
                entries[-1].details.append(value)
        except ValueError as error:
            faults.append(FieldError(_readable(error), line=line, column=column))
    if not references:
        faults.append(FieldError("no statement reference (:20:)", line=1, column=":20:"))
    if len(accounts) != 1:
        faults.append(FieldError("exactly one account (:25:) per file", line=1, column=":25:"))
    if faults:
        raise InvalidInput("the MT940 statement could not be read", faults)
    account = accounts.pop()
    credits: list[BankCredit] = []
    skipped = 0
    for entry in entries:
        if entry.mark != "C":  # debits and reversals of either kind: nothing to match
            skipped += 1
            continue
        remittance, name, payer_account = _details("\n".join(entry.details))
        if not remittance:
            remittance = entry.customer_reference if entry.customer_reference != "NONREF" else ""
        minor = amount_minor(entry.amount, currency, decimal_comma=True)
        reference = entry.bank_reference or entry_digest(
            account, entry.value_on, minor, remittance, entry.line
        )
        credits.append(
            BankCredit(
                bank_reference=reference,
                booked_on=entry.booked_on,
                value_on=entry.value_on,
                amount_minor=minor,
                currency=currency,
                remittance=remittance,
                payer_name=name,
                payer_account=payer_account,
                line=entry.line,
                source=f"line {entry.line}",
            )
        )
    return BankStatement(
        format="MT940",
        statement_id=" ".join(dict.fromkeys(references)),
        account=account,
        currency=currency,
        credits=tuple(credits),
        entries_skipped=skipped,
    )
