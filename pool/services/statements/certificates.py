"""The withholding-tax certificate: for a contributor with tax withheld in a year, one bilingual
(Chinese and English) PDF listing each statement of the year with its gross, the tax withheld
and the net paid, and the year's totals, as the pool withheld them (figures fixed at issue)."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from pool import rendering
from pool.auth import Principal
from pool.errors import InvalidInput, NotFound
from pool.models.distribution import Statement
from pool.models.organisation import Organisation
from pool.models.user import Role
from pool.services import pools
from pool.services.statements.pdf_render import render_pdf

TEMPLATE = "withholding_certificate.html.j2"


@dataclass(frozen=True)
class CertificateLine:
    serial: str
    period_start: date
    period_last_day: date
    gross_minor: int  # gross plus adjustments: what the tax was withheld from
    withheld_minor: int
    net_minor: int


@dataclass(frozen=True)
class Certificate:
    organisation_name: str
    organisation_country: str
    pool_id: int
    pool_name: str
    currency: str
    year: int
    rate: str
    lines: tuple[CertificateLine, ...]
    issued_on: date

    @property
    def gross_minor(self) -> int:
        return sum(line.gross_minor for line in self.lines)

    @property
    def withheld_minor(self) -> int:
        return sum(line.withheld_minor for line in self.lines)

    @property
    def net_minor(self) -> int:
        return sum(line.net_minor for line in self.lines)


def certificate(
    session: Session,
    *,
    principal: Principal,
    organisation_id: int,
    pool_id: int | None,
    year: int,
    today: date,
) -> Certificate:
    """The year's certificate of a contributor the caller may read (staff: all; a contributor:
    its own); none when nothing was withheld (404: there is nothing to certify)."""
    org = session.get(Organisation, organisation_id)
    if org is None or principal.role == Role.LICENSEE:
        raise NotFound("organisation not found")
    principal.require_staff_or_org(organisation_id, "organisation")
    rows = session.exec(
        select(Statement)
        .where(
            Statement.contributor_organisation_id == organisation_id,
            col(Statement.period_start) >= date(year, 1, 1),
            col(Statement.period_start) < date(year + 1, 1, 1),
        )
        .order_by(col(Statement.period_start))
    ).all()
    lines = tuple(
        CertificateLine(
            s.serial,
            s.period_start,
            date.fromordinal(s.period_end.toordinal() - 1),
            s.gross_minor + s.adjustments_minor,
            s.withholding_minor,
            s.net_payable_minor,
        )
        for s in rows
        if s.withholding_minor and (pool_id is None or s.pool_id == pool_id)
    )
    found_pools = {s.pool_id for s in rows if s.withholding_minor}
    if pool_id is None and len(found_pools) > 1:
        raise InvalidInput.field("pool_id", "name the pool of the certificate")
    if not lines:
        raise NotFound("no tax was withheld from this organisation in that year")
    pool = pools.get(session, pool_id=pool_id or found_pools.pop())
    return Certificate(
        org.name,
        org.country,
        pool.id or 0,
        pool.name,
        pool.currency,
        year,
        org.withholding_rate,
        lines,
        today,
    )


def render(found: Certificate) -> bytes:
    """The certificate as PDF, Chinese and English side by side."""
    html = rendering.render(TEMPLATE, c=found, money=rendering.money, percent=rendering.percent)
    return render_pdf(html.encode("utf-8"))
