"""A contributor's bank details as the organisation page's form: what is stored (or typed),
parsed into the API's schema, so a refused field is named as the API names it."""

from dataclasses import dataclass

from pydantic import ValidationError

from pool.models.payout import BankDetailsWrite, ContributorBankDetails
from pool.web import schema_messages


@dataclass
class BankForm:
    account_holder: str = ""
    scheme: str = "iban"
    iban: str = ""
    bic: str = ""
    account_number: str = ""
    bank_name: str = ""
    cnaps_code: str = ""

    @classmethod
    def of(cls, found: ContributorBankDetails | None, holder: str) -> "BankForm":
        """What is stored, else the organisation's name as the account holder."""
        if found is None:
            return cls(account_holder=holder)
        return cls(**{name: getattr(found, name) or "" for name in vars(cls())})


def parsed(form: BankForm) -> BankDetailsWrite:
    try:
        return BankDetailsWrite.model_validate(vars(form))
    except ValidationError as error:
        raise schema_messages.invalid_input("the bank details are not valid", error) from error
