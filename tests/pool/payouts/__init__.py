"""Payouts: contributors' bank details, payout batches, their pain.001 files and settlement."""
