"""Shared plumbing with no domain of its own: offset pagination (`pages`), the header checks every
all-or-nothing CSV upload shares (`csv_upload`) and many plain rows written at once
(`bulk_insert`). It calls no other context; every context may call it."""
