"""Licence terms, open-licence offers, agreements and their filing, products."""

from litestar import Controller

HANDLERS: list[type[Controller]] = []
