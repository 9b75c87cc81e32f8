"""Shared building blocks: the frozen model base, canonical JSON, and validated scalar types.

Money amounts are `int` minor units; rates are `Decimal` and travel as strings in JSON, never
as floats (a float such as 0.1 has no exact binary value, so a rate read from one could be off
by a fraction of a cent on a large report).
"""

import hashlib
import json
from decimal import ROUND_DOWN, Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

MAX_DECIMAL_PLACES = 12
"""Rates and multipliers carry at most this many decimal places, so exact products stay small."""
_SMALLEST = Decimal(1).scaleb(-MAX_DECIMAL_PLACES)


def fail(message: str, *subpath: str | int) -> PydanticCustomError:
    """Build a validation error whose location is `subpath` below the model that raises it.

    `contracts.validation` appends `subpath` to pydantic's location, so a cross-field check in a
    nested model still reports the exact field (``$.categories[2].tiers[1].from_units``).
    """
    return PydanticCustomError("contracts", "{message}", {"message": message, "subpath": subpath})


class Model(BaseModel):
    """Immutable, closed model: unknown fields are errors, instances cannot be changed."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Canonical(Model):
    """A model with one canonical JSON text and its SHA-256, to prove "same terms for everyone".

    Keys are sorted, separators are fixed, decimals are written without trailing zeros or
    exponents, so two equal models always give the same bytes whatever their input spelling.
    """

    def canonical_json(self) -> str:
        """Return the canonical JSON text of this model."""
        return json.dumps(
            self.model_dump(mode="json"),
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )

    def sha256(self) -> str:
        """Return the hex SHA-256 of the UTF-8 canonical JSON text."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


def _reject_float(value: Any) -> Any:
    """Refuse floats and booleans before pydantic turns them into a Decimal."""
    if isinstance(value, float | bool):
        raise PydanticCustomError(
            "contracts", "{message}", {"message": 'write decimals as strings, e.g. "0.35"'}
        )
    return value


def _bounded_places(value: Decimal) -> Decimal:
    """Keep decimals short (see MAX_DECIMAL_PLACES); drop trailing zeros and negative zero.

    Bounded values have at most 22 significant digits, so the default context is exact here.
    """
    shortened = value.quantize(_SMALLEST, rounding=ROUND_DOWN)
    if shortened != value:
        raise PydanticCustomError(
            "contracts",
            "{message}",
            {"message": f"at most {MAX_DECIMAL_PLACES} decimal places"},
        )
    return abs(shortened.normalize())  # abs() only turns -0 into 0: values are >= 0


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")


_AS_TEXT = PlainSerializer(_decimal_text, return_type=str, when_used="json")
_NO_FLOAT = BeforeValidator(_reject_float)
_SHORT = AfterValidator(_bounded_places)

Rate = Annotated[Decimal, _NO_FLOAT, Field(ge=0, le=10**9, allow_inf_nan=False), _SHORT, _AS_TEXT]
"""A per-unit rate in major units of the terms' currency (``"0.35"`` = 35 cents)."""

ExactDecimal = Annotated[Decimal, _AS_TEXT]
"""A computed decimal (e.g. a product of multipliers), written as a string; output only."""

Percent = Annotated[Decimal, _NO_FLOAT, Field(ge=0, le=100, allow_inf_nan=False), _SHORT, _AS_TEXT]
"""A percentage (``"3.5"`` = 3.5 %)."""

Multiplier = Annotated[Decimal, _NO_FLOAT, Field(ge=0, le=1, allow_inf_nan=False), _SHORT, _AS_TEXT]
"""A discount multiplier between 0 and 1 (``"0.7"`` = 30 % off)."""

MAX_MINOR = 10**18
"""The largest amount of money a model accepts, in minor units."""

MinorAmount = Annotated[int, Field(strict=True, ge=0, le=MAX_MINOR)]
"""A non-negative amount of money in minor units (cents for USD, fen for CNY)."""

Count = Annotated[int, Field(strict=True, ge=0, le=10**15)]
"""A non-negative number of units."""

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
"""An ISO 3166-1 alpha-2 country code, upper case."""

Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
"""An ISO 4217 currency code, upper case (contracts holds no currency table)."""

Label = Annotated[str, StringConstraints(min_length=1, max_length=64)]
"""A short identifier such as a product category or a terms version."""
