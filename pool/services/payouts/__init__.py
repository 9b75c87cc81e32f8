"""Paying contributors: their bank details, payout batches sent to the pool's bank as ISO
20022 pain.001 files and settled line by line in the ledger, and each statement's payout."""

from pool.services.payouts.statement_payout import StatementPayout, payout_of

__all__ = ["StatementPayout", "payout_of"]
