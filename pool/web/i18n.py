"""Marking and translating the web's own strings (templates use `_()` and `| translate`).

`N_` marks a msgid where it is defined (tables of labels, messages) so `pybabel extract`
finds it; it is translated where it is shown, in the locale of that page. Messages that
services raise are translated when a catalog has them (see `messages.py`); others are shown
as the service wrote them.
"""

from pool.rendering import gettext, ngettext

__all__ = ["N_", "gettext", "ngettext"]


def N_(message: str) -> str:
    """Mark a msgid for extraction; translate it later with `gettext` or `| translate`."""
    return message
