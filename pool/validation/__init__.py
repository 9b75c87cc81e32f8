"""Pure validators for the identifiers the pool accepts from people: patent numbers, Chinese
unified social credit codes, ISO country codes and bank identifiers (SWIFT/BIC, CNAPS, IBAN).

Standard library only (no database, no web framework) so the service, the CLI and the demo can
all use them, and every error is an :class:`InvalidIdentifier` (a ``ValueError``) with a
human-readable ``reason``.
"""

from pool.validation._patent_cn import cn_application_check_digit
from pool.validation._patent_de import de_file_check_digits
from pool.validation.bank import (
    InvalidBankIdentifier,
    validate_account_number,
    validate_bic,
    validate_cnaps,
)
from pool.validation.countries import ISO_3166_ALPHA2, InvalidCountry, validate_country
from pool.validation.errors import InvalidIdentifier
from pool.validation.patent_numbers import (
    JURISDICTIONS,
    InvalidPatentNumber,
    KindOfRecord,
    PatentNumber,
    normalize_patent_number,
)
from pool.validation.uscc import (
    USCC_CHARSET,
    InvalidUSCC,
    org_code_check_char,
    plain_uscc,
    uscc_check_char,
    validate_uscc,
)

__all__ = [
    "ISO_3166_ALPHA2",
    "JURISDICTIONS",
    "USCC_CHARSET",
    "InvalidBankIdentifier",
    "InvalidCountry",
    "InvalidIdentifier",
    "InvalidPatentNumber",
    "InvalidUSCC",
    "KindOfRecord",
    "PatentNumber",
    "cn_application_check_digit",
    "de_file_check_digits",
    "normalize_patent_number",
    "org_code_check_char",
    "plain_uscc",
    "uscc_check_char",
    "validate_account_number",
    "validate_bic",
    "validate_cnaps",
    "validate_country",
    "validate_uscc",
]
