"""One entry point for any bank statement the pool's bank sends: the format is recognised from
the content, not the file name (banks name their exports freely)."""

from pool.errors import FieldError, InvalidInput
from pool.services.billing.bank.camt053 import read_camt053
from pool.services.billing.bank.credits import BankStatement
from pool.services.billing.bank.mt940 import read_mt940


def read_bank_statement(content: bytes) -> BankStatement:
    """camt.053 if the file is XML, MT940 if it starts with a tag or a SWIFT envelope."""
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]
    if head.startswith(b"<"):
        return read_camt053(content)
    if head.startswith((b":", b"{1:")):
        return read_mt940(content)
    raise InvalidInput(
        "not a bank statement this service reads",
        [FieldError("expected ISO 20022 camt.053 (XML) or SWIFT MT940", line=1)],
    )
