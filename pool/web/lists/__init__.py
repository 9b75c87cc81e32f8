"""The web half of the list toolkit (issue 17): `query` reads a list's query string into a
validated `ListQuery` (a bad sort key or filter value falls back to the default, never an
error) and gives the templates the links that keep every filter (`ListView`); `export` answers
`?format=csv` with exactly the filtered rows. The macros are in
`templates/web/lists.html.j2`; what each list selects is its service's
(`pool.services.common.listing`)."""

from pool.web.lists.export import csv_response, major_units
from pool.web.lists.query import Filter, ListSpec, ListView, read_list

__all__ = ["Filter", "ListSpec", "ListView", "csv_response", "major_units", "read_list"]
