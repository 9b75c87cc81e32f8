"""The one Jinja environment: every template under the top-level `templates/` package.

Autoescape is on (names come from users) and undefined variables are errors, so a template
never silently prints an empty field. Templates only format prepared view models.
"""

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@cache
def environment() -> Environment:
    """Built once per process, on first use (nothing is built at import)."""
    return Environment(
        loader=PackageLoader("templates", ""),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
