"""Everything `verify` can check without outside copies, in one answer (the API's
`GET /audit/verify`): the hash chain, every signed checkpoint (`anchor`), and the money tables
re-derived from the audited events (`money`). The command line adds the outside copies an
auditor keeps (`patentpool audit verify --checkpoints-from`)."""

from sqlmodel import Session

from pool.models.audit import AuditVerification
from pool.services.audit import anchor
from pool.services.audit.keys import Keyring
from pool.services.audit.money import verify_money

PROBLEMS_KEPT = 50


def verify_everything(session: Session, *, keys: Keyring) -> AuditVerification:
    """The chain, the checkpoints, the money tables; `ok` only if all three hold."""
    report = anchor.verify(session, keys=keys)
    money = verify_money(session)
    problems = [*report.problems, *(f"money: {d.describe()}" for d in money.disagreements)]
    if money.disagreement_count > len(money.disagreements):
        problems.append(f"money: {money.disagreement_count - len(money.disagreements)} more")
    return AuditVerification(
        ok=report.ok and money.ok,
        events_checked=report.chain.events_checked,
        first_broken_id=report.chain.first_broken_id,
        problem=report.chain.problem,
        checkpoints=report.checkpoints,
        checkpoints_holding=report.held,
        money_rows_checked=money.rows_checked,
        money_disagreements=money.disagreement_count,
        problems=problems[:PROBLEMS_KEPT],
    )
