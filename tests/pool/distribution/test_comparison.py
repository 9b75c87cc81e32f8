"""A run against the previous approved run of its pool, per contributor and country, in exact
cents: changed, unchanged, new and dropped rows, the previous run being the latest approved
one before (not an older one, not a draft), and only staff may read it."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from pool.auth import Principal, Role
from pool.errors import NotFound
from pool.models.distribution import DistributionRun, RunLine, RunStatus
from pool.services.distribution import comparison, runs
from pool.services.distribution.comparison import Change, Row
from tests.pool.conftest import World, admin_principal

NOW = datetime(2025, 8, 1, 9, tzinfo=UTC)


def _run(s: Session, world: World, start: date, end: date, status: RunStatus) -> int:
    run = DistributionRun(
        pool_id=world.pool_id, period_start=start, period_end=end, currency="USD",
        status=status, formula_version="test", input_sha256="0" * 64, solver="test",
        solver_status="optimal", computed_at=NOW,
    )  # fmt: skip
    s.add(run)
    s.flush()
    return run.id or 0


def _lines(s: Session, run_id: int, lines: list[tuple[int, str, date, int]]) -> None:
    for org, country, usage_start, amount in lines:
        s.add(
            RunLine(
                run_id=run_id, contributor_organisation_id=org, usage_start=usage_start,
                usage_end=date(usage_start.year, usage_start.month + 3, 1), country=country,
                bucket_distributable_cumulative_minor=0, cumulative_minor=0, amount_minor=amount,
            )
        )  # fmt: skip
    s.flush()


Q1, Q2 = date(2025, 1, 1), date(2025, 4, 1)


@pytest.fixture
def runs_of(engine: Engine, world: World) -> tuple[int, int, int]:
    """An old approved run, the previous approved one (Q2) and the draft (Q3); two lines per
    usage period for Uni A in CN (summed), a correction of Q1 in the draft."""
    uni, lab = world.contributor.organisation_id or 0, world.other_contributor.organisation_id or 0
    with Session(engine) as s:
        old = _run(s, world, date(2025, 1, 1), Q2, RunStatus.APPROVED)
        _lines(s, old, [(uni, "CN", Q1, 99_999), (lab, "FR", Q1, 12_345)])
        previous = _run(s, world, Q2, date(2025, 7, 1), RunStatus.APPROVED)
        _lines(s, previous, [
            (uni, "CN", Q1, 6_000), (uni, "CN", Q2, 4_000),  # 100.00 in all
            (uni, "US", Q2, 2_500),
            (lab, "CN", Q2, 3_333),
        ])  # fmt: skip
        draft = _run(s, world, date(2025, 7, 1), date(2025, 10, 1), RunStatus.DRAFT)
        _lines(s, draft, [
            (uni, "CN", Q2, 12_101), (uni, "CN", Q1, -100),  # 120.01: a correction of Q1
            (uni, "US", Q2, 2_500),
            (lab, "DE", Q2, 999),
        ])  # fmt: skip
        s.commit()
    return old, previous, draft


def test_the_draft_against_the_previous_approved_run_in_exact_cents(
    engine: Engine, world: World, runs_of: tuple[int, int, int]
) -> None:
    _, previous, draft = runs_of
    uni, lab = world.contributor.organisation_id or 0, world.other_contributor.organisation_id or 0
    with Session(engine) as s:
        found = comparison.compare(s, principal=admin_principal(world.admin), run_id=draft)
    assert found.previous is not None
    assert found.previous.id == previous
    assert found.rows == sorted([
        Row(uni, "CN", 10_000, 12_001, Change.CHANGED),
        Row(uni, "US", 2_500, 2_500, Change.SAME),
        Row(lab, "CN", 3_333, 0, Change.DROPPED),
        Row(lab, "DE", 0, 999, Change.NEW),
    ], key=lambda row: (row.contributor_organisation_id, row.country))  # fmt: skip
    assert [row.difference_minor for row in found.rows if row.country == "CN"] == (
        [2_001, -3_333] if uni < lab else [-3_333, 2_001]
    )
    assert (found.previous_minor, found.current_minor, found.difference_minor) == (
        15_833,
        15_500,
        -333,
    )
    assert [found.count(change) for change in Change] == [1, 1, 1, 1]


def test_a_pools_first_run_has_only_new_rows(
    engine: Engine, world: World, runs_of: tuple[int, int, int]
) -> None:
    old, _, _ = runs_of
    with Session(engine) as s:
        found = comparison.compare(s, principal=admin_principal(world.admin), run_id=old)
    assert found.previous is None
    assert {(r.country, r.previous_minor, r.current_minor, r.change) for r in found.rows} == {
        ("CN", 0, 99_999, Change.NEW),
        ("FR", 0, 12_345, Change.NEW),
    }


def test_approving_posts_what_the_preview_says(
    engine: Engine, world: World, runs_of: tuple[int, int, int]
) -> None:
    """The preview counts the legs the approval posts, and their debits."""
    _, _, draft = runs_of
    with Session(engine) as s:
        run = runs.get(s, principal=admin_principal(world.admin), run_id=draft)
        legs = [leg.amount_minor for leg in runs.legs(s, run) if leg.amount_minor]
        assert runs.ledger_preview(s, run) == (len(legs), sum(a for a in legs if a > 0))
        assert sum(legs) == -15_500  # the lines alone: no usage period rows in this fixture


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.LICENSEE])
def test_only_staff_compare(
    engine: Engine, world: World, runs_of: tuple[int, int, int], role: Role
) -> None:
    caller = world.contributor if role == Role.CONTRIBUTOR else world.licensee
    who = Principal(
        user_id=caller.user_id, email="x@example.org", role=role,
        organisation_id=caller.organisation_id, token_id=0,
    )  # fmt: skip
    with Session(engine) as s, pytest.raises(NotFound):
        comparison.compare(s, principal=who, run_id=runs_of[2])
