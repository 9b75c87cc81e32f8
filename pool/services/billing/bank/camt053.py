"""ISO 20022 camt.053 (bank-to-customer statement), any version `camt.053.001.NN`.

Parsed with `defusedxml` (a bank file is outside input: no entity expansion, no external
entities) and the standard library's ElementTree; each element keeps the line it started on, so
a fault names the line and the element path. Namespaces are ignored beyond checking that the
document is a camt.053 one.

What counts: booked entries (`Sts` `BOOK`, or `Sts/Cd` `BOOK` from version 8) that are credits
(`CdtDbtInd` `CRDT`) and not reversals (`RvslInd` true). An entry that batches several
transactions (`NtryDtls/TxDtls`, each with its own amount) gives one credit per transaction."""

import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from pool.errors import FieldError, InvalidInput
from pool.rendering import Phrase
from pool.services.billing.bank.credits import (
    BankCredit,
    BankStatement,
    amount_minor,
    entry_digest,
)

NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.053."
NOT_CAMT053 = Phrase("the root element is not a %(prefix)s* Document", prefix=NAMESPACE_PREFIX)


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that notes on each element the line its start tag is on."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: Any = None
        self.lines: dict[int, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        self.lines[id(element)] = int(self.parser.parser.CurrentLineNumber)
        return element


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _Document:
    def __init__(self, root: ET.Element, lines: dict[int, int]) -> None:
        self.root = root
        self.lines = lines
        self.faults: list[FieldError] = []

    def line(self, element: ET.Element) -> int:
        return self.lines.get(id(element), 1)

    def children(self, element: ET.Element, name: str) -> list[ET.Element]:
        return [child for child in element if _local(child.tag) == name]

    def find(self, element: ET.Element, path: str) -> ET.Element | None:
        current: ET.Element | None = element
        for name in path.split("/"):
            if current is None:
                return None
            found = self.children(current, name)
            current = found[0] if found else None
        return current

    def text(self, element: ET.Element, path: str) -> str:
        found = self.find(element, path)
        return (found.text or "").strip() if found is not None else ""

    def need(self, element: ET.Element, path: str, where: str) -> str:
        value = self.text(element, path)
        if not value:
            self.fault(element, f"{where}/{path}", f"{path} is missing")
        return value

    def fault(self, element: ET.Element, where: str, message: str) -> None:
        self.faults.append(FieldError(message, field=where, line=self.line(element)))


def _parse(content: bytes) -> _Document:
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(content)
        root = parser.close()
    except ET.ParseError as error:
        line, column = error.position
        message = f"not well-formed XML at column {column + 1}"
        raise InvalidInput(
            "the camt.053 statement is not valid XML", [FieldError(message, line=line)]
        ) from None
    except DefusedXmlException as error:
        raise InvalidInput(
            "the camt.053 statement uses forbidden XML", [FieldError(type(error).__name__, line=1)]
        ) from None
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if _local(root.tag) != "Document" or not namespace.startswith(NAMESPACE_PREFIX):
        raise InvalidInput(
            "not a camt.053 statement",
            [FieldError(NOT_CAMT053, line=1)],
        )
    return _Document(root, builder.lines)


def _date(document: _Document, element: ET.Element, path: str, where: str) -> date | None:
    """`Dt`, or the date of `DtTm`, under `path`."""
    holder = document.find(element, path)
    if holder is None:
        document.fault(element, f"{where}/{path}", f"{path} is missing")
        return None
    text = document.text(holder, "Dt") or document.text(holder, "DtTm")[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        document.fault(holder, f"{where}/{path}", f"{text!r} is not a date (YYYY-MM-DD)")
        return None


def _status(document: _Document, entry: ET.Element) -> str:
    return document.text(entry, "Sts/Cd") or document.text(entry, "Sts")


def _amount(
    document: _Document, element: ET.Element, path: str, where: str, currency: str
) -> tuple[int, str] | None:
    amount = document.find(element, path)
    if amount is None:
        document.fault(element, f"{where}/{path}", f"{path} is missing")
        return None
    code = amount.get("Ccy", "")
    try:
        return amount_minor(amount.text or "", code), code
    except ValueError as error:
        document.fault(amount, f"{where}/{path}", str(error))
        return None
    finally:
        if currency and code and code != currency:
            document.fault(amount, f"{where}/{path}", f"{code} on an account in {currency}")


def _payer(document: _Document, details: ET.Element | None) -> tuple[str, str]:
    if details is None:
        return "", ""
    name = document.text(details, "RltdPties/Dbtr/Nm") or document.text(
        details, "RltdPties/Dbtr/Pty/Nm"
    )
    account = document.text(details, "RltdPties/DbtrAcct/Id/IBAN") or document.text(
        details, "RltdPties/DbtrAcct/Id/Othr/Id"
    )
    return name, account


def _remittance(document: _Document, details: ET.Element | None) -> str:
    if details is None:
        return ""
    info = document.find(details, "RmtInf")
    parts: list[str] = []
    if info is not None:
        parts += [(u.text or "").strip() for u in document.children(info, "Ustrd")]
        for structured in document.children(info, "Strd"):
            parts.append(document.text(structured, "CdtrRefInf/Ref"))
    if not any(parts):
        end_to_end = document.text(details, "Refs/EndToEndId")
        parts.append("" if end_to_end == "NOTPROVIDED" else end_to_end)
    return " ".join(part for part in parts if part)


def _entry_credits(
    document: _Document,
    entry: ET.Element,
    at: str,
    account: str,
    currency: str,
    total: int,
    booked_on: date,
    value_on: date,
) -> list[BankCredit]:
    """One credit for a plain entry; one per transaction for a batch (their amounts must add
    up to the entry's). The bank's reference of the transaction, else of the entry (with the
    transaction's place in a batch), else a digest."""
    entry_reference = document.text(entry, "AcctSvcrRef") or document.text(entry, "NtryRef")
    transactions = [
        tx
        for details in document.children(entry, "NtryDtls")
        for tx in document.children(details, "TxDtls")
    ]
    parts: list[tuple[ET.Element | None, int, str]] = []
    if len(transactions) > 1:
        for t_index, tx in enumerate(transactions, start=1):
            nested = document.find(tx, "AmtDtls/TxAmt/Amt") is not None
            path = "AmtDtls/TxAmt/Amt" if nested else "Amt"
            amount = _amount(document, tx, path, f"{at}/NtryDtls/TxDtls[{t_index}]", currency)
            if amount is not None:
                parts.append((tx, amount[0], str(t_index)))  # suffix: its place in the batch
        complete = len(parts) == len(transactions)
        if complete and sum(minor for _, minor, _ in parts) != total:
            document.fault(entry, f"{at}/Amt", "the transactions do not add up to the entry")
    else:
        parts.append((transactions[0] if transactions else None, total, ""))
    credits = []
    for details, minor, suffix in parts:
        tx_reference = document.text(details, "Refs/AcctSvcrRef") if details is not None else ""
        remittance = _remittance(document, details)
        name, payer_account = _payer(document, details)
        batch_reference = f"{entry_reference}/{suffix}" if entry_reference and suffix else ""
        reference = (
            tx_reference
            or batch_reference
            or entry_reference
            or entry_digest(account, booked_on, minor, remittance, at, suffix)
        )
        credits.append(
            BankCredit(
                bank_reference=reference,
                booked_on=booked_on,
                value_on=value_on,
                amount_minor=minor,
                currency=currency,
                remittance=remittance,
                payer_name=name,
                payer_account=payer_account,
                line=(line := document.line(entry if details is None else details)),
                source=f"line {line} ({at}" + (f"/NtryDtls/TxDtls[{suffix}])" if suffix else ")"),
            )
        )
    return credits


def read_camt053(content: bytes) -> BankStatement:
    """The credits of a camt.053 file; InvalidInput naming every faulty element otherwise."""
    document = _parse(content)
    statements = [
        statement
        for report in document.children(document.root, "BkToCstmrStmt")
        for statement in document.children(report, "Stmt")
    ]
    if not statements:
        raise InvalidInput(
            "the camt.053 statement has no statement",
            [FieldError("no BkToCstmrStmt/Stmt", field="Document", line=1)],
        )
    ids: list[str] = []
    accounts: set[str] = set()
    currency = ""
    credits: list[BankCredit] = []
    skipped = 0
    for s_index, statement in enumerate(statements, start=1):
        where = f"Stmt[{s_index}]"
        ids.append(document.need(statement, "Id", where))
        account = document.text(statement, "Acct/Id/IBAN") or document.text(
            statement, "Acct/Id/Othr/Id"
        )
        if not account:
            document.fault(
                statement, f"{where}/Acct/Id", "the account's IBAN or Othr/Id is missing"
            )
        accounts.add(account)
        currency = currency or document.text(statement, "Acct/Ccy")
        for e_index, entry in enumerate(document.children(statement, "Ntry"), start=1):
            at = f"{where}/Ntry[{e_index}]"
            indicator = document.need(entry, "CdtDbtInd", at)
            if indicator not in ("CRDT", "DBIT", ""):
                document.fault(entry, f"{at}/CdtDbtInd", f"{indicator!r} is neither CRDT nor DBIT")
            total = _amount(document, entry, "Amt", at, currency)
            currency = currency or (total[1] if total else "")
            booked_on = _date(document, entry, "BookgDt", at)
            value_on = (
                _date(document, entry, "ValDt", at)
                if document.find(entry, "ValDt") is not None
                else booked_on
            )
            reversal = document.text(entry, "RvslInd").lower() == "true"
            if indicator != "CRDT" or reversal or _status(document, entry) != "BOOK":
                skipped += 1
                continue
            if total is None or booked_on is None or value_on is None:
                continue
            credits += _entry_credits(
                document, entry, at, account, currency, total[0], booked_on, value_on
            )
    if len(accounts) > 1:
        document.fault(statements[1], "Stmt/Acct", "statements of more than one account")
    if document.faults:
        raise InvalidInput("the camt.053 statement could not be read", document.faults)
    return BankStatement(
        format="camt.053",
        statement_id=" ".join(dict.fromkeys(ids)),
        account=accounts.pop() if accounts else "",
        currency=currency,
        credits=tuple(credits),
        entries_skipped=skipped,
    )
