"""Usage reports (JSON and CSV) and the invoices issued from them."""

from litestar import Controller

HANDLERS: list[type[Controller]] = []
