"""Payments, the ledger and licensees' account statements."""

from litestar import Controller

HANDLERS: list[type[Controller]] = []
