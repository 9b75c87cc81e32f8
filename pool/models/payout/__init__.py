"""Paying contributors: their bank details (`accounts`) and payout batches with their lines
(`batches`), re-exported here."""

from pool.models.payout.accounts import (
    NEEDED,
    AccountScheme,
    BankDetailsRead,
    BankDetailsWrite,
    ContributorBankDetails,
)
from pool.models.payout.batches import (
    BatchStatus,
    HeldContributor,
    LineStatus,
    PayoutBatch,
    PayoutBatchCreate,
    PayoutBatchRead,
    PayoutLine,
    PayoutLineRead,
    PayoutPaid,
    PayoutReturned,
    PayoutSent,
    StatementPayoutRead,
)

__all__ = [
    "NEEDED",
    "AccountScheme",
    "BankDetailsRead",
    "BankDetailsWrite",
    "BatchStatus",
    "ContributorBankDetails",
    "HeldContributor",
    "LineStatus",
    "PayoutBatch",
    "PayoutBatchCreate",
    "PayoutBatchRead",
    "PayoutLine",
    "PayoutLineRead",
    "PayoutPaid",
    "PayoutReturned",
    "PayoutSent",
    "StatementPayoutRead",
]
