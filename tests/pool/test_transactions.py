"""A transaction commits or rolls back as one, savepoints included, on both databases: on
SQLite the driver's own transaction handling would let a savepoint opened first commit on
its RELEASE (a payment recorded inside a request that then failed would have stayed)."""

from sqlalchemy import Engine, text
from sqlmodel import Session

from pool.db import session_scope
from pool.unit_of_work import FormRefusal, in_one_thread


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


def test_a_refused_form_is_answered_after_what_it_wrote_is_rolled_back(engine: Engine) -> None:
    """pool.unit_of_work: the handler wrote, then refused; its answer (the form again) is
    rendered from what is stored, and nothing of the refused request is kept."""
    with session_scope(engine) as s:
        s.execute(text("CREATE TABLE probe (x INTEGER)"))

    def refusing_handler(*, db: Session) -> int:
        db.execute(text("INSERT INTO probe VALUES (1)"))
        raise FormRefusal(lambda: db.execute(text("SELECT count(*) FROM probe")).scalar_one())

    def accepting_handler(*, db: Session) -> int:
        db.execute(text("INSERT INTO probe VALUES (2)"))
        return 1

    with Session(engine) as db:
        assert in_one_thread(refusing_handler, writes=True)(db=db) == 0
    with Session(engine) as db:
        assert in_one_thread(accepting_handler, writes=True)(db=db) == 1
    with Session(engine) as s:
        assert s.execute(text("SELECT x FROM probe")).scalars().all() == [2]
        s.execute(text("DROP TABLE probe"))
        s.commit()
