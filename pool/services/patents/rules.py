"""Rules on a patent's own data, shared by single submissions and CSV imports."""

from dataclasses import dataclass
from datetime import date

from pool.errors import FieldError, InvalidInput
from pool.rendering import Phrase
from pool.validation import (
    InvalidCountry,
    InvalidPatentNumber,
    normalize_patent_number,
    validate_country,
)

REGIONAL_OFFICES = frozenset({"EP", "WO"})


@dataclass(frozen=True)
class ResolvedNumber:
    """A validated patent number and the country in which it counts.

    `key` drops the kind code (and a DE file number's check digit), so a publication (A1), its
    grant (B1) and, where the office keeps one number, the application are one patent; an
    EP patent may sit in a pool once per validation country."""

    jurisdiction: str
    canonical: str
    key: str
    country: str


def number_and_country(raw: str, country: str | None) -> ResolvedNumber | FieldError:
    """The resolved number, or the first fault naming its field.

    A national patent is in force in its own country. A European or PCT number must say
    which country it counts in, since royalties are bucketed by country."""
    try:
        parsed = normalize_patent_number(raw)
    except InvalidPatentNumber as error:
        return FieldError(message=error.reason, field="number")
    if country:
        try:
            country = validate_country(country)
        except InvalidCountry as error:
            return FieldError(message=str(error), field="country")
    if parsed.jurisdiction in REGIONAL_OFFICES:
        if not country:
            return FieldError(
                message=Phrase(
                    "a %(jurisdiction)s number needs the country where it is in force",
                    jurisdiction=parsed.jurisdiction,
                ),
                field="country",
            )
    elif country and country != parsed.jurisdiction:
        return FieldError(
            message=Phrase(
                "a %(jurisdiction)s patent is in force there, not in %(country)s",
                jurisdiction=parsed.jurisdiction,
                country=country,
            ),
            field="country",
        )
    return ResolvedNumber(
        parsed.jurisdiction,
        parsed.canonical,
        parsed.key,
        country or parsed.jurisdiction,
    )


def resolve_number(raw: str, country: str | None) -> ResolvedNumber:
    result = number_and_country(raw, country)
    if isinstance(result, FieldError):
        raise InvalidInput(f"{result.field}: {result.message}", [result])
    return result


def date_order_error(
    filing: date | None, grant: date | None, expiry: date | None
) -> FieldError | None:
    """Filing <= grant < expiry, for whichever of them are known."""
    if filing and grant and grant < filing:
        return FieldError(message="must not be before filing_date", field="grant_date")
    start = grant or filing
    if expiry and start and expiry <= start:
        return FieldError(message="must be after the filing and grant dates", field="expiry_date")
    return None


def check_date_order(filing: date | None, grant: date | None, expiry: date | None) -> None:
    error = date_order_error(filing, grant, expiry)
    if error is not None:
        raise InvalidInput(f"{error.field}: {error.message}", [error])
