"""Patent-product filing (专利产品备案): a licensee registers the products that implement the
pool's patents on its active agreement, and each product gets a filing code.

Filing codes read `PF-<pool id>-<year>-<sequence>`, e.g. `PF-3-2025-00012`: the year of
registration and the product's position (from 1, five digits) among the pool's products
registered that year. Codes are never reused (products are not deleted), so the same
registrations in the same order always get the same codes; the unique constraint on
`filing_code` turns a concurrent race into a retryable 409.
"""

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

import contracts
from pool.auth import Principal
from pool.errors import Conflict, InvalidInput, NotFound
from pool.models.licensing import LicenceAgreement, Product, ProductCreate, ProductRead
from pool.models.patent import Patent, PatentStatus
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.common.pages import Page, paginate
from pool.services.licensing import agreements


def filing_code(session: Session, *, pool_id: int, year: int) -> str:
    prefix = f"PF-{pool_id}-{year}-"
    taken = session.exec(
        select(func.count())
        .select_from(Product)
        .where(col(Product.filing_code).startswith(prefix, autoescape=True))
    ).one()
    return f"{prefix}{taken + 1:05d}"


def _check(session: Session, agreement: LicenceAgreement, data: ProductCreate) -> None:
    if agreement.state != contracts.AgreementState.ACTIVE:
        raise Conflict(
            Phrase(
                "products are registered on active agreements; this one is %(state)s",
                state=agreement.state,
            )
        )
    if data.category not in agreement.product_categories:
        raise InvalidInput.field(
            "category",
            Phrase(
                "one of the agreement's categories: %(categories)s",
                categories=", ".join(agreement.product_categories),
            ),
        )
    accepted = set(
        session.exec(
            select(Patent.id).where(
                col(Patent.id).in_(data.patent_ids),
                Patent.pool_id == agreement.pool_id,
                Patent.status == PatentStatus.ACCEPTED,
            )
        ).all()
    )
    unknown = sorted(set(data.patent_ids) - accepted)
    if unknown:
        raise InvalidInput.field(
            "patent_ids",
            Phrase("not accepted patents of this pool: %(ids)s", ids=", ".join(map(str, unknown))),
        )
    clash = session.exec(
        select(Product.id).where(
            Product.agreement_id == agreement.id,
            Product.name == data.name,
            Product.model == data.model,
        )
    ).first()
    if clash is not None:
        raise Conflict(
            Phrase(
                "%(name)s %(model)s is already registered as product %(clash)s",
                name=data.name,
                model=data.model,
                clash=clash,
            )
        )


def register(
    session: Session, *, principal: Principal, agreement_id: int, data: ProductCreate, now: datetime
) -> Product:
    """Only the licensee itself registers its products (the administrator reads them)."""
    agreement = agreements.get_for_licensee(session, principal=principal, agreement_id=agreement_id)
    principal.require_role(Role.LICENSEE)
    _check(session, agreement, data)
    product = Product(
        agreement_id=agreement_id,
        licensee_organisation_id=agreement.licensee_organisation_id,
        name=data.name,
        model=data.model,
        category=data.category,
        patent_ids=sorted(set(data.patent_ids)),
        filing_code=filing_code(session, pool_id=agreement.pool_id, year=now.year),
        registered_on=now.date(),
        created_at=now,
    )
    session.add(product)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="product.registered",
        entity_type="product",
        entity_id=product.id,
        pool_id=agreement.pool_id,
        after=snapshot(product),
        now=now,
    )
    return product


def get(session: Session, *, principal: Principal, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None or principal.role == Role.CONTRIBUTOR:
        raise NotFound("product not found")
    principal.require_staff_or_org(product.licensee_organisation_id, "product")
    return product


def listing(
    session: Session,
    *,
    principal: Principal,
    agreement_id: int | None,
    limit: int,
    offset: int,
) -> Page[ProductRead]:
    """Staff see every product; a licensee its own organisation's; contributors none."""
    if agreement_id is not None:
        agreements.get_for_licensee(session, principal=principal, agreement_id=agreement_id)
    elif principal.role == Role.CONTRIBUTOR:
        raise NotFound("products not found")
    query = select(Product).order_by(col(Product.id))
    if agreement_id is not None:
        query = query.where(Product.agreement_id == agreement_id)
    if not principal.sees_everything:
        query = query.where(Product.licensee_organisation_id == principal.organisation_id)
    return paginate(session, query, limit=limit, offset=offset, convert=ProductRead.model_validate)
