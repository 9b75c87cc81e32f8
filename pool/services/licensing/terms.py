"""Versions of a pool's licence terms: immutable, canonical, hashed, public to signed-in users.

SMEs must be able to read a pool's published fee standard before they sign, so every signed-in
user may read terms; only the administrator adds a version, and no version is ever changed.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

import contracts
from allocation.currency import format_minor, minor_unit_exponent
from pool.auth import Principal
from pool.errors import Conflict, FieldError, InvalidInput, NotFound
from pool.models.licensing import LicenceAgreement, LicenceTerms, TermsCreate, TermsRead
from pool.models.pool import Pool
from pool.rendering import Phrase
from pool.services import audit, pools
from pool.services.audit.snapshot import snapshot
from pool.services.common.pages import Page, paginate


def invalid(error: contracts.ContractsError, field: str) -> InvalidInput:
    """Map a `contracts` error (JSON paths) to field errors under `field` of our body."""
    errors = [
        FieldError(message=message, field=field + path.removeprefix("$"))
        for path, message in error.problems
    ]
    return InvalidInput("; ".join(f"{e.field}: {e.message}" for e in errors), errors)


def parse(data: TermsCreate) -> tuple[contracts.RoyaltyTerms, contracts.PaymentTerms]:
    """Validate both parts with `contracts`, reporting every bad field of either."""
    problems: list[FieldError] = []
    royalty = payment = None
    try:
        royalty = contracts.parse_terms(data.royalty_terms)
    except contracts.InvalidTerms as error:
        problems.extend(invalid(error, "royalty_terms").errors)
    try:
        payment = contracts.parse_payment_terms(data.payment_terms)
    except contracts.InvalidTerms as error:
        problems.extend(invalid(error, "payment_terms").errors)
    if royalty is None or payment is None:
        raise InvalidInput("; ".join(f"{e.field}: {e.message}" for e in problems), problems)
    return royalty, payment


def _check_currency(pool: Pool, terms: contracts.RoyaltyTerms) -> None:
    if terms.currency != pool.currency:
        raise InvalidInput.field(
            "royalty_terms.currency",
            Phrase("must be the pool's currency %(currency)s", currency=pool.currency),
        )
    exponent = minor_unit_exponent(pool.currency)
    if terms.minor_unit_exponent != exponent:
        raise InvalidInput.field(
            "royalty_terms.minor_unit_exponent",
            Phrase(
                "%(currency)s has %(exponent)s decimals", currency=pool.currency, exponent=exponent
            ),
        )


def create(
    session: Session, *, principal: Principal, pool_id: int, data: TermsCreate, now: datetime
) -> LicenceTerms:
    """Stored canonical (the hash is over exactly the stored text), never edited afterwards."""
    pool = pools.get(session, pool_id=pool_id)
    principal.require_admin()
    royalty, payment = parse(data)
    _check_currency(pool, royalty)
    clash = session.exec(
        select(LicenceTerms.id).where(
            LicenceTerms.pool_id == pool_id, LicenceTerms.version == royalty.terms_version
        )
    ).first()
    if clash is not None:
        raise Conflict(
            Phrase(
                "terms version '%(terms_version)s' already exists in this pool",
                terms_version=royalty.terms_version,
            )
        )
    terms = LicenceTerms(
        pool_id=pool_id,
        version=royalty.terms_version,
        royalty_terms=royalty.model_dump(mode="json"),
        payment_terms=payment.model_dump(mode="json"),
        sha256=royalty.sha256(),
        created_at=now,
    )
    session.add(terms)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="terms.created",
        entity_type="licence_terms",
        entity_id=terms.id,
        pool_id=pool_id,
        after=snapshot(terms),
        now=now,
    )
    return terms


def get(session: Session, *, pool_id: int, terms_id: int) -> LicenceTerms:
    terms = session.get(LicenceTerms, terms_id)
    if terms is None or terms.pool_id != pool_id:
        raise NotFound("terms not found")
    return terms


def listing(session: Session, *, pool_id: int, limit: int, offset: int) -> Page[TermsRead]:
    pools.get(session, pool_id=pool_id)
    query = (
        select(LicenceTerms).where(LicenceTerms.pool_id == pool_id).order_by(col(LicenceTerms.id))
    )
    return paginate(session, query, limit=limit, offset=offset, convert=TermsRead.model_validate)


def parsed(terms: LicenceTerms) -> tuple[contracts.RoyaltyTerms, contracts.PaymentTerms]:
    """Stored terms were validated on the way in; parsing again gives the same objects."""
    return contracts.parse_terms(terms.royalty_terms), contracts.parse_payment_terms(
        terms.payment_terms
    )


def royalty_terms_of(
    session: Session, agreement: LicenceAgreement
) -> tuple[contracts.RoyaltyTerms, contracts.PaymentTerms]:
    """The royalty and payment terms an agreement was signed on (for reports and invoices)."""
    terms = session.get(LicenceTerms, agreement.terms_id)
    if terms is None:  # the foreign key makes this unreachable short of a broken database
        raise NotFound("terms not found")
    return parsed(terms)


def _rate(value: Decimal, currency: str) -> str:
    return f"{value:f} {currency}"


def _category_view(category: contracts.CategoryTerms, currency: str) -> dict[str, Any]:
    """One category's schedule, every number already formatted for the contract document."""
    return {
        "category": category.category,
        "basis": str(category.basis),
        "rate": None if category.rate is None else _rate(category.rate, currency),
        "percent": None if category.percent is None else f"{category.percent:f}",
        "tiers": [
            {"from_units": f"{t.from_units:,}", "rate": _rate(t.rate, currency)}
            for t in category.tiers
        ],
        "bands": [
            {
                "lower": format_minor(b.lower_minor, currency),
                "lower_inclusive": b.lower_inclusive,
                "upper": None if b.upper_minor is None else format_minor(b.upper_minor, currency),
                "upper_inclusive": b.upper_inclusive,
                "rate": _rate(b.rate, currency),
            }
            for b in category.bands
        ],
        "annual_cap": _money(category.annual_cap_minor, currency),
    }


def _money(amount_minor: int | None, currency: str) -> str | None:
    return None if amount_minor is None else f"{format_minor(amount_minor, currency)} {currency}"


def fee_view(royalty: contracts.RoyaltyTerms, payment: contracts.PaymentTerms) -> dict[str, Any]:
    """The fee standard and payment terms as the licence contract shows them."""
    currency = royalty.currency
    return {
        "currency": currency,
        "free": is_zero_fee(royalty),
        "categories": [_category_view(c, currency) for c in royalty.categories],
        "free_units_per_year": f"{royalty.free_units_per_year:,}",
        "annual_cap": _money(royalty.annual_cap_minor, currency),
        "entry_fee": _money(royalty.entry_fee_minor or None, currency),
        "annual_fee": _money(royalty.annual_fee_minor or None, currency),
        "discounts": list(royalty.discounts.order),
        "net_days": payment.net_days,
        "grace": payment.grace and payment.grace.model_dump(),
        "revenue_threshold": payment.revenue_threshold
        and _money(payment.revenue_threshold.threshold_minor, currency),
        "instalments": payment.instalments and payment.instalments.model_dump(),
        "late_interest": payment.late_interest and f"{payment.late_interest.annual_percent:f}",
    }


def running_rates(category: contracts.CategoryTerms) -> list[Decimal]:
    """Every rate or percentage a category can charge."""
    rates = [category.rate, category.percent]
    rates += [tier.rate for tier in category.tiers] + [band.rate for band in category.bands]
    return [rate for rate in rates if rate is not None]


def is_zero_fee(royalty: contracts.RoyaltyTerms) -> bool:
    """No rate above zero and no fixed fee: a free licence (recorded as free when filed)."""
    return (
        not royalty.entry_fee_minor
        and not royalty.annual_fee_minor
        and all(rate == 0 for c in royalty.categories for rate in running_rates(c))
    )


def max_annual_charge_minor(royalty: contracts.RoyaltyTerms) -> int | None:
    """The most the terms can charge one licensee in a year (entry fee included), or None
    when running royalties are uncapped. Zero-rate categories charge nothing."""
    charging = [c for c in royalty.categories if any(r > 0 for r in running_rates(c))]
    if not charging:
        running: int | None = 0
    elif royalty.annual_cap_minor is not None:
        running = royalty.annual_cap_minor
    elif all(c.annual_cap_minor is not None for c in charging):
        running = sum(c.annual_cap_minor or 0 for c in charging)
    else:
        running = None
    if running is None:
        return None
    return running + royalty.entry_fee_minor + royalty.annual_fee_minor
