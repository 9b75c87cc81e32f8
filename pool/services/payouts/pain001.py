"""A payout batch as an ISO 20022 customer credit-transfer initiation (pain.001.001.09), the
file the pool's bank takes: one payment information block paid from the pool's payee
account, one credit transfer per line, in the pool's currency (CNY, USD, EUR: not SEPA-only,
so the XML is built here with the standard library; the tests validate it against the
official XSD). The group header's number of transactions and control sum are the batch's.

Creditor accounts: an IBAN with the bank's BIC, or a Chinese account number (`Othr/Id`)
with the bank's CNAPS code as clearing-system member (`ClrSysMmbId`, code `CNAPS`) and name."""

from decimal import Decimal
from xml.etree import ElementTree as ET

from babel.numbers import get_currency_precision
from sqlmodel import Session

from pool.models.payout import PayoutBatch, PayoutLine
from pool.models.pool import PoolPayee
from pool.services.pools.registry import get as get_pool
from pool.validation.bank import looks_like_iban

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
MEDIA_TYPE = "application/xml"


def amount(minor: int, currency: str) -> str:
    """Minor units as the decimal the file carries (`123456`, CNY -> `1234.56`)."""
    digits = get_currency_precision(currency)
    return f"{Decimal(minor).scaleb(-digits):.{digits}f}"


def _sub(parent: ET.Element, path: str, text: str | None = None, **attrs: str) -> ET.Element:
    """Make (or reuse, for all but the last step) the elements along `A/B/C`."""
    *steps, last = path.split("/")
    for step in steps:
        found = parent.find(step)
        parent = found if found is not None else ET.SubElement(parent, step)
    element = ET.SubElement(parent, last, attrs)
    if text is not None:
        element.text = text
    return element


def _account(parent: ET.Element, tag: str, number: str) -> None:
    holder = ET.SubElement(parent, tag)
    if looks_like_iban(number):
        _sub(holder, "Id/IBAN", number)
    else:
        _sub(holder, "Id/Othr/Id", number)


def _agent(
    parent: ET.Element, tag: str, bic: str | None, cnaps: str | None, name: str | None
) -> None:
    institution = _sub(parent, f"{tag}/FinInstnId")
    if bic:
        _sub(institution, "BICFI", bic)
    if cnaps:
        member = _sub(institution, "ClrSysMmbId")
        _sub(member, "ClrSysId/Cd", "CNAPS")
        _sub(member, "MmbId", cnaps)
    if name:
        _sub(institution, "Nm", name[:140])


def build(session: Session, batch: PayoutBatch, lines: list[PayoutLine]) -> bytes:
    """The file's bytes (UTF-8, with declaration); the same batch gives the same bytes."""
    pool = get_pool(session, pool_id=batch.pool_id)
    payee = session.get(PoolPayee, batch.pool_id)
    if payee is None:  # a batch is only made with a payee; it cannot be removed
        raise LookupError("the pool has no payee")
    total, count = amount(batch.total_minor, batch.currency), str(batch.line_count)
    root = ET.Element("Document", {"xmlns": NAMESPACE})
    initiation = ET.SubElement(root, "CstmrCdtTrfInitn")
    header = ET.SubElement(initiation, "GrpHdr")
    _sub(header, "MsgId", batch.message_id)
    _sub(header, "CreDtTm", batch.created_at.isoformat(timespec="seconds"))
    _sub(header, "NbOfTxs", count)
    _sub(header, "CtrlSum", total)
    _sub(header, "InitgPty/Nm", pool.name[:140])
    info = ET.SubElement(initiation, "PmtInf")
    for tag, text in (("PmtInfId", batch.message_id), ("PmtMtd", "TRF"), ("NbOfTxs", count),
                      ("CtrlSum", total)):  # fmt: skip
        _sub(info, tag, text)
    _sub(info, "ReqdExctnDt/Dt", batch.execution_date.isoformat())
    _sub(info, "Dbtr/Nm", payee.legal_name[:140])
    _account(info, "DbtrAcct", payee.account_number)
    _agent(info, "DbtrAgt", payee.swift_bic, payee.cnaps_code, payee.bank_name)
    _sub(info, "ChrgBr", "SLEV" if batch.currency == "EUR" else "SHAR")
    for line in lines:
        _transfer(info, line, batch.currency)
    ET.indent(root)
    content: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return content + b"\n"


def _transfer(info: ET.Element, line: PayoutLine, currency: str) -> None:
    transfer = ET.SubElement(info, "CdtTrfTxInf")
    _sub(transfer, "PmtId/EndToEndId", line.end_to_end_id)
    _sub(transfer, "Amt/InstdAmt", amount(line.amount_minor, currency), Ccy=currency)
    _agent(transfer, "CdtrAgt", line.bic, line.cnaps_code, line.bank_name)
    _sub(transfer, "Cdtr/Nm", line.account_holder[:140])
    _account(transfer, "CdtrAcct", line.iban or line.account_number or "")
    _sub(transfer, "RmtInf/Ustrd", f"Patent pool royalties, net payable {line.end_to_end_id}")
