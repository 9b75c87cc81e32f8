"""Migration 0019 gives every admitted patent its current grade and tier as history from its
admission, on both databases; a patent never admitted gets none."""

from datetime import UTC, date, datetime

from sqlalchemy import Connection, Engine, MetaData, Table
from sqlmodel import Session, SQLModel, col, select

from pool.migrate import upgrade
from pool.models.grading import PatentGrade
from pool.models.organisation import Organisation
from pool.models.patent import Patent
from pool.models.pool import Pool
from tests.pool.test_migrations import empty_engine  # noqa: F401  (the fixture)

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def _patent(pool_id: int, owner: int, n: int, **facts: object) -> Patent:
    return Patent(
        pool_id=pool_id,
        owner_organisation_id=owner,
        number=f"US{9100000 + n}B2",
        number_key=f"US{9100000 + n}",
        jurisdiction="US",
        country="US",
        title="Codec",
        filing_date=date(2015, 1, 1),
        submitted_at=NOW,
        updated_at=NOW,
        **facts,
    )


def _insert(conn: Connection, table: Table, row: SQLModel) -> int:
    """`row` as the table stands (reflected): its columns only, today's defaults included."""
    values = {k: v for k, v in row.model_dump().items() if k in table.c and v is not None}
    return int(conn.execute(table.insert().values(**values)).inserted_primary_key[0])


def test_admitted_patents_get_their_grade_from_admission(empty_engine: Engine) -> None:  # noqa: F811
    """Rows are written through the tables as they stand at 0017: today's models carry
    columns that later migrations add."""
    upgrade(empty_engine, "0017")
    at_0017 = MetaData()
    at_0017.reflect(empty_engine, only=("organisation", "pool", "patent"))
    tables = at_0017.tables
    with empty_engine.begin() as conn:
        owner = _insert(
            conn,
            tables["organisation"],
            Organisation(name="Uni", kind="university", country="US", created_at=NOW),
        )
        pool = Pool(
            name="P",
            technology_field="video",
            currency="USD",
            admin_fee_rate="0.1",
            allocation_method="grade_weighted",
            reporting_cadence="quarterly",
            created_at=NOW,
        )
        pool_id = _insert(conn, tables["pool"], pool)
        graded = _patent(
            pool_id, owner, 1, status="accepted", grade="B", admitted_on=date(2024, 6, 1)
        )
        tiered = _patent(
            pool_id, owner, 2, status="expired", tier="2", admitted_on=date(2023, 1, 2)
        )
        waiting = _patent(pool_id, owner, 3, status="submitted")
        ids = tuple(_insert(conn, tables["patent"], p) for p in (graded, tiered, waiting))
    upgrade(empty_engine)
    with Session(empty_engine) as s:
        found = s.exec(select(PatentGrade).order_by(col(PatentGrade.patent_id))).all()
        rows = [
            (g.patent_id, g.pool_id, g.grade, g.tier, g.effective_on, g.source, g.recorded_by)
            for g in found
        ]
    assert rows == [
        (ids[0], pool_id, "B", None, date(2024, 6, 1), "admission", "migration 0019"),
        (ids[1], pool_id, None, "2", date(2023, 1, 2), "admission", "migration 0019"),
    ]
