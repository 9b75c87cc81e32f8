"""A licensee's money at a date, computed once: each invoice part's state (not yet due, due,
overdue with days and interest, paid, written off), credit held, the amount to pay today and
good standing. Every page, the API, reminders and the dashboard read it (issue 15)."""

from pool.services.billing.position.licensee import Position, credit_on, licensee_position
from pool.services.billing.position.overdue import late_parts, overdue_for
from pool.services.billing.position.parts import (
    InvoicePosition,
    PartPosition,
    PartState,
    invoice_position,
)
from pool.services.billing.position.reading import own_positions, position_for, read_invoice

__all__ = [
    "InvoicePosition",
    "PartPosition",
    "PartState",
    "Position",
    "credit_on",
    "invoice_position",
    "late_parts",
    "licensee_position",
    "overdue_for",
    "own_positions",
    "position_for",
    "read_invoice",
]
