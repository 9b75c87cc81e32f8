"""The demo's withholding-tax certificates: one bilingual PDF per non-resident contributor
with tax withheld in the demo's year, made by the same service as
`GET /organisations/{id}/withholding-certificate` and written next to the statements."""

from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.models.distribution import Statement
from pool.models.user import Role, User
from pool.services.statements import certificates
from scheduler.demo.founding import principal
from scheduler.demo.records import ADMIN_EMAIL


def export_certificates(engine: Engine, pool_id: int, year: int, directory: Path) -> int:
    """`<organisation id>-<year>.pdf` for each contributor the pool withheld tax from in the
    year, dated the demo's last day (1 February of the next year), so a rerun writes the
    same files."""
    directory.mkdir(parents=True, exist_ok=True)
    written = 0
    with Session(engine) as session:
        admin = session.exec(select(User).where(User.email == ADMIN_EMAIL)).one()
        staff = principal(admin.id or 0, admin.email, Role.ADMIN, None)
        withheld_from = session.exec(
            select(Statement.contributor_organisation_id)
            .where(
                Statement.pool_id == pool_id,
                col(Statement.withholding_minor) > 0,
                col(Statement.period_start) >= date(year, 1, 1),
                col(Statement.period_start) < date(year + 1, 1, 1),
            )
            .distinct()
            .order_by(col(Statement.contributor_organisation_id))
        ).all()
        for organisation_id in withheld_from:
            found = certificates.certificate(
                session,
                principal=staff,
                organisation_id=organisation_id,
                pool_id=pool_id,
                year=year,
                today=date(year + 1, 2, 1),
            )
            (directory / f"{organisation_id}-{year}.pdf").write_bytes(certificates.render(found))
            written += 1
    return written
