"""Shared plumbing with no domain of its own: offset pagination (`pages`), the header checks every
all-or-nothing CSV upload shares (`csv_upload`), many plain rows written at once
(`bulk_insert`) and child processes that end with their parent (`lifeline`). It calls no other
context; every context may call it."""
