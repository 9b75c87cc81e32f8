"""Open-licence offers: one published fee standard, payment method and term for everyone.

An open licence is accepted by notice and payment on the announced terms, so `accept` creates
an active agreement tied to the offer's hash: every acceptor provably got the same terms. An
open licence is always ordinary (non-exclusive). Under China's Patent Law open licensing
(jurisdiction ``CN``), a royalty stated as a percentage of net sales may not exceed 20 %.
"""

from datetime import date
from decimal import Decimal

from pydantic import Field, model_validator

from contracts.agreement import AgreementState, LicenceAgreement, LicenceType
from contracts.base import Canonical, Country, fail
from contracts.errors import InvalidOffer
from contracts.money import add_months
from contracts.payment import PaymentTerms
from contracts.terms import RoyaltyTerms
from contracts.validation import load

CHINA_MAX_PERCENT_OF_NET_SALES = Decimal(20)
"""Ceiling on percentage royalties in Chinese open licences (our reading of current practice)."""


class OpenLicenceOffer(Canonical):
    """A published open-licence offer (fee standard = `terms`, payment method, term)."""

    terms: RoyaltyTerms
    payment: PaymentTerms
    term_months: int = Field(strict=True, ge=1, le=1200)
    jurisdiction: Country
    licence_type: LicenceType = LicenceType.ORDINARY

    @model_validator(mode="after")
    def _open_licence_rules(self) -> "OpenLicenceOffer":
        if self.licence_type is not LicenceType.ORDINARY:
            raise fail("an open licence cannot be exclusive or sole", "licence_type")
        if self.jurisdiction == "CN":
            for index, category in enumerate(self.terms.categories):
                # only percent-of-net-sales categories carry a percent (CategoryTerms checks)
                if (
                    category.percent is not None
                    and category.percent > CHINA_MAX_PERCENT_OF_NET_SALES
                ):
                    raise fail(
                        "a Chinese open licence may charge at most 20 % of net sales",
                        "terms",
                        "categories",
                        index,
                        "percent",
                    )
        return self

    def ends_on(self, accepted_on: date) -> date:
        """The (exclusive) end of a licence accepted on `accepted_on`."""
        return add_months(accepted_on, self.term_months)

    def accept(self, *, accepted_on: date) -> LicenceAgreement:
        """The active agreement an acceptance creates, on exactly this offer."""
        draft = LicenceAgreement(
            licence_type=LicenceType.ORDINARY,
            created_on=accepted_on,
            terms_sha256=self.sha256(),
        )
        return draft.move(AgreementState.ACTIVE, on=accepted_on, reason="open licence accepted")


def parse_offer(data: object) -> OpenLicenceOffer:
    """Validate an offer from JSON text or a mapping; raise `InvalidOffer` with paths."""
    return load(OpenLicenceOffer, data, InvalidOffer)
