"""View models: what services return, shaped for templates (which only format).

Nothing here decides anything; it names things (enum values to translatable labels) and puts
numbers in the form the filters take (a percentage as a fraction, a band's edges with their
comparison signs), so templates do no arithmetic.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import contracts
from pool.models.licensing import PublicOffer
from pool.models.organisation import Organisation
from pool.web.i18n import N_

KIND_LABELS = {
    "university": N_("University"),
    "research_institute": N_("Research institute"),
    "state_owned_enterprise": N_("State-owned enterprise"),
    "private_company": N_("Private company"),
    "individual": N_("Individual"),
    "evaluation_agency": N_("Evaluation agency"),
    "other": N_("Other"),
}
DEAL_KIND_LABELS = {
    "transfer": N_("Transfer"),
    "licence": N_("Licence outside the pool"),
    "capital_contribution": N_("Capital contribution"),
    "pledge": N_("Pledge"),
}
SIZE_LABELS = {
    "micro": N_("Micro enterprise"),
    "small": N_("Small enterprise"),
    "medium": N_("Medium-sized enterprise"),
    "large": N_("Large enterprise"),
}
FIELD_LABELS = {
    "ict_manufacturing": N_("ICT manufacturing"),
    "ict_services": N_("ICT services"),
    "new_equipment": N_("New equipment"),
    "new_materials": N_("New materials"),
    "pharma_medical": N_("Pharmaceuticals and medical devices"),
    "environmental": N_("Environmental technology"),
    "rnd_services": N_("R&D services"),
    "other": N_("Other"),
}
STATUS_LABELS = {"draft": N_("Draft"), "open": N_("Open"), "closed": N_("Closed")}
LANGUAGE_LABELS = {"en": N_("English"), "zh-CN": N_("Chinese")}


@dataclass(frozen=True)
class OrganisationView:
    name: str
    kind: str  # msgid
    size: str | None  # msgid
    country: str
    uscc: str | None
    tax_resident: bool
    withholding_rate: Decimal  # a fraction, for `local_percent`
    language: str  # msgid
    created_on: date


def organisation(org: Organisation) -> OrganisationView:
    return OrganisationView(
        name=org.name,
        kind=KIND_LABELS.get(org.kind, org.kind),
        size=SIZE_LABELS.get(org.size_class, org.size_class) if org.size_class else None,
        country=org.country,
        uscc=org.uscc,
        tax_resident=org.tax_resident,
        withholding_rate=Decimal(org.withholding_rate),
        language=LANGUAGE_LABELS.get(org.language, org.language),
        created_on=org.created_at.date(),
    )


@dataclass(frozen=True)
class Band:
    lower_sign: str  # ">=" or ">"
    lower_minor: int
    upper_sign: str | None  # "<=" or "<"; None: no upper edge
    upper_minor: int | None
    rate: Decimal


@dataclass(frozen=True)
class CategoryView:
    name: str
    rate: Decimal | None  # flat, major units per unit
    tiers: list[tuple[int, Decimal]]  # (from unit, rate)
    bands: list[Band]
    percent_of_net_sales: Decimal | None  # a fraction
    annual_cap_minor: int | None


@dataclass(frozen=True)
class DiscountView:
    label: str  # msgid
    detail: str  # a size class label (msgid) or a country code, or ""
    multiplier: Decimal  # the share of the full price paid


@dataclass(frozen=True)
class OfferView:
    id: int
    terms_version: str
    currency: str
    term_months: int
    jurisdiction: str
    payment_method: str
    published_on: date
    sha256: str
    categories: list[CategoryView]
    free_units_per_year: int
    annual_cap_minor: int | None
    entry_fee_minor: int
    annual_fee_minor: int
    discounts: list[DiscountView]
    payment: contracts.PaymentTerms
    late_interest_fraction: Decimal | None


def _category(item: contracts.CategoryTerms) -> CategoryView:
    bands = [
        Band(
            lower_sign=">=" if band.lower_inclusive else ">",
            lower_minor=band.lower_minor,
            upper_sign=None if band.upper_minor is None else "<=" if band.upper_inclusive else "<",
            upper_minor=band.upper_minor,
            rate=band.rate,
        )
        for band in item.bands
    ]
    return CategoryView(
        name=item.category,
        rate=item.rate,
        tiers=[(tier.from_units, tier.rate) for tier in item.tiers],
        bands=bands,
        percent_of_net_sales=None if item.percent is None else item.percent.scaleb(-2),
        annual_cap_minor=item.annual_cap_minor,
    )


def _discounts(discounts: contracts.Discounts) -> list[DiscountView]:
    shown: list[DiscountView] = []
    for kind in discounts.order:
        if kind == contracts.DiscountKind.SME and discounts.sme is not None:
            for size, multiplier in discounts.sme.model_dump().items():
                if multiplier != 1:
                    shown.append(DiscountView(N_("Size class"), SIZE_LABELS[size], multiplier))
        elif kind == contracts.DiscountKind.REGION:
            for region in discounts.regions:
                shown.append(DiscountView(N_("Sales in"), region.country, region.multiplier))
        elif kind == contracts.DiscountKind.EARLY_SIGNER and discounts.early_signer is not None:
            shown.append(DiscountView(N_("Early signer"), "", discounts.early_signer))
        elif kind == contracts.DiscountKind.GOOD_STANDING and discounts.good_standing is not None:
            shown.append(DiscountView(N_("Good standing"), "", discounts.good_standing))
    return shown


def offer(item: PublicOffer) -> OfferView:
    """A published offer with its stored terms parsed by `contracts` (validated when saved)."""
    terms = contracts.parse_terms(item.royalty_terms)
    payment = contracts.parse_payment_terms(item.payment_terms)
    interest = payment.late_interest
    return OfferView(
        id=item.id,
        terms_version=item.terms_version,
        currency=item.currency,
        term_months=item.term_months,
        jurisdiction=item.jurisdiction,
        payment_method=item.payment_method,
        published_on=item.published_on,
        sha256=item.sha256,
        categories=[_category(category) for category in terms.categories],
        free_units_per_year=terms.free_units_per_year,
        annual_cap_minor=terms.annual_cap_minor,
        entry_fee_minor=terms.entry_fee_minor,
        annual_fee_minor=terms.annual_fee_minor,
        discounts=_discounts(terms.discounts),
        payment=payment,
        late_interest_fraction=interest.annual_percent.scaleb(-2) if interest else None,
    )
