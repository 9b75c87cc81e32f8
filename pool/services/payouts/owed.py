"""What each contributor of a pool is owed and not yet in a batch: its `contributor_payable`
balance in the ledger (credited by approved distribution runs, debited by payouts paid) less
its pending payout lines. Read under the pool's payout lock (`locking.serialize`)."""

from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.models.ledger import JournalEntry, Posting
from pool.models.organisation import Organisation
from pool.models.payout import ContributorBankDetails, HeldContributor, LineStatus, PayoutLine
from pool.services.distribution.runs import CONTRIBUTOR_PAYABLE


def open_payable(session: Session, *, pool_id: int) -> dict[int, int]:
    """Contributor id -> minor units owed and not in a pending line (only those above zero)."""
    balances = session.exec(
        select(Posting.contributor_organisation_id, func.sum(Posting.amount_minor))
        .join(JournalEntry, col(JournalEntry.id) == Posting.entry_id)
        .where(
            JournalEntry.pool_id == pool_id,
            Posting.account == CONTRIBUTOR_PAYABLE,
            col(Posting.contributor_organisation_id).is_not(None),
        )
        .group_by(col(Posting.contributor_organisation_id))
    ).all()
    pending = dict(
        session.exec(
            select(PayoutLine.contributor_organisation_id, func.sum(PayoutLine.amount_minor))
            .where(PayoutLine.pool_id == pool_id, PayoutLine.status == LineStatus.PENDING)
            .group_by(col(PayoutLine.contributor_organisation_id))
        ).all()
    )
    owed = {
        int(who): -int(total) - int(pending.get(who, 0))
        for who, total in balances
        if who is not None and total is not None
    }
    return {who: amount for who, amount in sorted(owed.items()) if amount > 0}


def names(session: Session, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(
        select(Organisation.id, Organisation.name).where(col(Organisation.id).in_(ids))
    ).all()
    return {int(i): n for i, n in rows if i is not None}


def accounts(session: Session, ids: list[int]) -> dict[int, ContributorBankDetails]:
    if not ids:
        return {}
    rows = session.exec(
        select(ContributorBankDetails).where(col(ContributorBankDetails.organisation_id).in_(ids))
    ).all()
    return {row.organisation_id: row for row in rows}


def held(session: Session, *, pool_id: int) -> list[HeldContributor]:
    """Contributors owed money who gave no bank details: listed, paid in a later batch."""
    owed = open_payable(session, pool_id=pool_id)
    with_account = accounts(session, list(owed))
    waiting = [who for who in owed if who not in with_account]
    named = names(session, waiting)
    return [
        HeldContributor(
            contributor_organisation_id=who, contributor_name=named.get(who, ""),
            payable_minor=owed[who],
        )
        for who in waiting
    ]  # fmt: skip
