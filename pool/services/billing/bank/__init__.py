"""The pool's bank statements: read strictly (`reading`: camt.053 in `camt053`, MT940 in
`mt940`, the credits they hold in `credits`), imported all or nothing (`importing`), each credit
matched to a licensee and recorded as a payment (`matching`), the rest decided by an
administrator (`decisions`). docs/bank_statements.md says it for users."""

from pool.services.billing.bank.camt053 import read_camt053
from pool.services.billing.bank.credits import BankCredit, BankStatement, amount_minor
from pool.services.billing.bank.decisions import assign, dismiss, get, listing, read
from pool.services.billing.bank.importing import import_statement, summary_of
from pool.services.billing.bank.mt940 import read_mt940
from pool.services.billing.bank.reading import read_bank_statement

__all__ = [
    "BankCredit",
    "BankStatement",
    "amount_minor",
    "assign",
    "dismiss",
    "get",
    "import_statement",
    "listing",
    "read",
    "read_bank_statement",
    "read_camt053",
    "read_mt940",
    "summary_of",
]
