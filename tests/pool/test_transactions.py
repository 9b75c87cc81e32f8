"""A transaction commits or rolls back as one, savepoints included, on both databases: on
SQLite the driver's own transaction handling would let a savepoint opened first commit on
its RELEASE (a payment recorded inside a request that then failed would have stayed)."""

from sqlalchemy import Engine, text
from sqlmodel import Session

from pool.db import session_scope


def test_a_savepoint_released_first_still_rolls_back_with_its_transaction(engine: Engine) -> None:
    with session_scope(engine) as s:
        s.execute(text("CREATE TABLE probe (x INTEGER)"))
    with Session(engine) as s:
        with s.begin_nested():
            s.execute(text("INSERT INTO probe VALUES (1)"))
        s.execute(text("INSERT INTO probe VALUES (2)"))
        s.rollback()
    with Session(engine) as s:
        assert s.execute(text("SELECT count(*) FROM probe")).scalar_one() == 0
    with session_scope(engine) as s, s.begin_nested():
        s.execute(text("INSERT INTO probe VALUES (3)"))
    with Session(engine) as s:
        assert s.execute(text("SELECT x FROM probe")).scalars().all() == [3]
        s.execute(text("DROP TABLE probe"))
        s.commit()
