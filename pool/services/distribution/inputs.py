"""From the pool's data to `allocation.AllocationInput`, one usage period at a time.

A payment is split with the weights of the usage period it pays for, not of the day it
arrived (DOMAIN.md section 3): the input of a usage period holds the pool patents whose
in-pool intervals touch that period, with those intervals, and the cumulative money of the
period per country pair. Ids are zero-padded database ids, so the allocation's tie-breaks
by id (ascending) follow the order in which contributors and patents were registered.

A patent regraded from a date (pool/services/patents/grades.py) is given to the allocation as
one entry per grade segment, its in-pool intervals cut at the change: days before the date
count at the old grade, days from it at the new one. The first segment keeps the patent's id;
a later one is `<id>.<its start date>`, so segments of one patent sort together and in date
order (`piece_patent` maps an entry back to its patent). A patent with one grade throughout
gives exactly the entry it gave before grade histories existed."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select as select_rows
from sqlmodel import Session, col

from allocation import AllocationInput, Contributor, Interval, Patent, RoyaltyLine
from allocation.engine import admin_fee
from pool.models.patent import Patent as PatentRow
from pool.models.patent import PatentInclusion
from pool.models.pool import Pool
from pool.services.distribution.cash import CountryPair, UsagePeriod
from pool.services.patents.grades import Segment, segments
from pool.services.pools.member_bounds import Bound


def contributor_key(organisation_id: int) -> str:
    return f"{organisation_id:010d}"


def organisation_of(key: str) -> int:
    return int(key)


@dataclass(frozen=True)
class PoolPatent:
    id: int
    owner_organisation_id: int
    country: str
    grade: str | None
    tier: str | None
    in_pool: tuple[tuple[date, date | None], ...]
    grades: tuple[Segment, ...] = ()  # its grade history; () : `grade` and `tier` throughout

    def touches(self, start: date, end: date) -> bool:
        return any(s < end and (e is None or start < e) for s, e in self.in_pool)

    def pieces(self) -> list["Piece"]:
        """One piece per grade segment with a day in the pool: the in-pool intervals cut at
        the segment's bounds."""
        found = self.grades or (Segment(None, self.grade, self.tier),)
        out: list[Piece] = []
        for index, segment in enumerate(found):
            until = found[index + 1].start if index + 1 < len(found) else None
            cut = tuple(
                piece
                for s, e in self.in_pool
                if (piece := _intersect((s, e), segment.start, until)) is not None
            )
            if cut:
                ident = f"{self.id:010d}"
                if out:
                    ident += f".{cut[0][0].isoformat()}"
                out.append(Piece(ident, self, segment.grade, segment.tier, cut))
        return out


@dataclass(frozen=True)
class Piece:
    """A patent during one of its grade segments: what the allocation sees as one patent."""

    id: str
    patent: PoolPatent
    grade: str | None
    tier: str | None
    in_pool: tuple[tuple[date, date | None], ...]

    def touches(self, start: date, end: date) -> bool:
        return any(s < end and (e is None or start < e) for s, e in self.in_pool)


def piece_patent(piece_id: str) -> int:
    """The patent id of an allocation entry (`0000000012` or `0000000012.2025-02-15`)."""
    return int(piece_id.split(".", 1)[0])


def _intersect(
    interval: tuple[date, date | None], lo: date | None, hi: date | None
) -> tuple[date, date | None] | None:
    start = interval[0] if lo is None else max(interval[0], lo)
    ends = [e for e in (interval[1], hi) if e is not None]
    end = min(ends) if ends else None
    if end is not None and end <= start:
        return None
    return (start, end)


def pool_patents(session: Session, *, pool_id: int) -> list[PoolPatent]:
    """Every patent that has been in the pool, with its half-open in-pool intervals."""
    rows = session.execute(
        select_rows(
            col(PatentInclusion.patent_id),
            col(PatentInclusion.start_on),
            col(PatentInclusion.end_on),
            col(PatentRow.owner_organisation_id),
            col(PatentRow.country),
            col(PatentRow.grade),
            col(PatentRow.tier),
        )
        .join(PatentRow, col(PatentRow.id) == PatentInclusion.patent_id)
        .where(col(PatentInclusion.pool_id) == pool_id)
        .order_by(col(PatentInclusion.patent_id), col(PatentInclusion.start_on))
    ).all()
    intervals: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    facts: dict[int, tuple[int, str, str | None, str | None]] = {}
    for patent_id, start, end, owner, country, grade, tier in rows:
        intervals[patent_id].append((start, end))
        facts[patent_id] = (owner, country, grade, tier)
    history = segments(session, pool_id=pool_id)
    return [
        PoolPatent(pid, *facts[pid], tuple(intervals[pid]), history.get(pid, ()))
        for pid in sorted(intervals)
    ]


def allocation_input(
    pool: Pool,
    patents: list[PoolPatent],
    period: UsagePeriod,
    buckets: dict[CountryPair, int],
    bounds: dict[int, Bound] | None = None,
) -> AllocationInput:
    """The input of one usage period: its patents, its cumulative money per country pair, and
    its contributors' caps and floors (`bounds`, by organisation id)."""
    start, end = period
    used = [piece for p in patents for piece in p.pieces() if piece.touches(start, end)]
    owners = sorted({p.patent.owner_organisation_id for p in used})
    parameters = pool.allocation_parameters or {}
    received = sum(buckets.values())
    distributable = received - admin_fee(Fraction(Decimal(pool.admin_fee_rate)), received)
    return AllocationInput(
        currency=pool.currency,
        admin_fee_rate=Decimal(pool.admin_fee_rate),
        method=pool.allocation_method,
        contributors=tuple(_contributor(o, (bounds or {}).get(o), distributable) for o in owners),
        patents=tuple(
            Patent(
                id=p.id,
                contributor=contributor_key(p.patent.owner_organisation_id),
                country=p.patent.country,
                grade=p.grade,
                tier=p.tier,
                in_force=tuple(_interval(s, e) for s, e in p.in_pool),
            )
            for p in used
        ),
        royalties=tuple(
            RoyaltyLine(
                id=f"{sale}-{made}",
                usage_start=start,
                usage_end=end,
                country_of_sale=sale,
                country_of_manufacture=made,
                amount_minor=amount,
            )
            for (sale, made), amount in sorted(buckets.items())
        ),
        grade_points=_decimals(parameters.get("grade_points")),
        tier_shares=_decimals(parameters.get("tier_shares")),
    )


def _contributor(organisation_id: int, bound: Bound | None, distributable: int) -> Contributor:
    """A cap is a share (allocation takes it as one); a floor becomes minor units of this
    period's distributable money, rounded down, so it never promises more than its share."""
    if bound is None:
        return Contributor(contributor_key(organisation_id))
    floor = 0 if bound.floor is None else int(Fraction(bound.floor) * distributable)
    return Contributor(contributor_key(organisation_id), bound.cap, floor)


def _interval(start: date, end: date | None) -> Interval:
    return (start, end)


def _decimals(table: object) -> dict[str, Decimal]:
    if not isinstance(table, dict):
        return {}
    return {str(key): Decimal(str(value)) for key, value in table.items()}
