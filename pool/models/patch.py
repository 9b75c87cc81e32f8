"""PATCH bodies: a field left out keeps its value; `null` clears a field that may be empty
and is refused, naming the field, for one that may not. Each field says which in its
description, so the OpenAPI document tells clients too.

A field that may be empty is typed `X | None` (`clearable`); one that may not is typed `X`
with a default that is never validated (`keep`), so an explicit `null` fails. Before, every
field was `X | None` and a `null` reached the services as a value: 500s (issue 13).
"""

from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import ValidationInfo, field_validator
from sqlmodel import Field, SQLModel

CLEARS = "Left out, it keeps its value; null clears it."
REFUSED = "Left out, it keeps its value; null is refused (422)."


def clearable(description: str, **kwargs: Any) -> Any:
    """A field that may be empty: null clears it (the change is audited as any other)."""
    return Field(default=None, description=f"{description} {CLEARS}", **kwargs)


def keep(description: str, **kwargs: Any) -> Any:
    """A field that may not be empty: null is a 422 naming it."""
    return Field(default=None, description=f"{description} {REFUSED}", **kwargs)


def admits_null(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, UnionType) and NoneType in get_args(annotation)


class PatchBody(SQLModel):
    """Services apply `model_dump(exclude_unset=True)`: only the fields sent."""

    @field_validator("*", mode="before")
    @classmethod
    def _null_only_where_it_clears(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if value is None and field is not None and not admits_null(field.annotation):
            raise ValueError("may not be null; leave it out to keep the current value")
        return value
