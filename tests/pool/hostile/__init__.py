"""Hostile input (issue 13): out-of-range integers, explicit nulls, deeply nested JSON. Each
is refused with a clear 4xx problem, and a refusal changes nothing in the database."""
