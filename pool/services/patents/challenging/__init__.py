"""What the portal's challenge pages read beyond the challenge services (issue 19): the list
with its search, filters and pages (`lists`), and the choices its forms offer (`choices`):
the pools a caller may file in, a patent named by its number, the possible re-evaluators."""
