"""Bank statements of the pool's account, read into the credits a pool has to match to
invoices: ISO 20022 camt.053 (XML) and SWIFT MT940 (text). Reading only: nothing here touches
the database. A file that cannot be read whole is refused whole, with every fault found and its
line (and XML element or MT940 tag), so an import is all or nothing."""

from pool.services.billing.bank_files.camt053 import read_camt053
from pool.services.billing.bank_files.credits import BankCredit, BankStatement, amount_minor
from pool.services.billing.bank_files.mt940 import read_mt940
from pool.services.billing.bank_files.reading import read_bank_statement

__all__ = [
    "BankCredit",
    "BankStatement",
    "amount_minor",
    "read_bank_statement",
    "read_camt053",
    "read_mt940",
]
