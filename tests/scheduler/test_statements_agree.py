"""Every statement of the demo year (tests/scheduler/demo_year.py) agrees with itself, its CSV
and the ledger: the stored CSV's header block names the statement, its detail rows sum to its
total rows, which are the statement's figures, which are what the run's approval posted to
`contributor_payable` and `withholding_tax_payable` for that contributor; the HTML shows the
same net payable and reconciles the pool's distributable amount; every adjustment has a
reason."""

import csv
import io
import re
from collections import defaultdict

import pytest
from sqlmodel import Session, col, select

from pool.models.distribution import DistributionRun, Statement, StatementDocument
from pool.models.ledger import JournalEntry, Posting
from pool.rendering import money
from pool.services.statements.documents import CSV_COLUMNS
from pool.services.statements.reasons import REASONS
from tests.scheduler.demo_year import Built

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo")]

AMOUNT = CSV_COLUMNS.index("amount_minor")
KIND = CSV_COLUMNS.index("row_type")
REASON = CSV_COLUMNS.index("reason")
DETAIL = {"line": "gross", "adjustment": "adjustments", "withholding": "withholding"}


def parsed(content: bytes) -> tuple[list[list[str]], list[list[str]]]:
    """(header block, rows after the column names), as docs/distribution.md describes them."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    gap = rows.index([])
    return rows[:gap], rows[gap + 2 :]


def posted(session: Session) -> dict[tuple[int, int], dict[str, int]]:
    """(run, contributor) -> what the run's approval entry posted for it (credits positive)."""
    found: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = session.exec(
        select(JournalEntry.source_id, Posting.account, Posting.contributor_organisation_id,
               Posting.amount_minor)
        .join(Posting, col(Posting.entry_id) == JournalEntry.id)
        .where(JournalEntry.source_type == "distribution_run",
               col(Posting.contributor_organisation_id).is_not(None))
    ).all()  # fmt: skip
    for run_id, account, org, amount in rows:
        found[(run_id, org or 0)][account] -= amount
    return found


def test_every_statement_agrees_with_its_csv_and_the_ledger(built: Built) -> None:
    with Session(built.engine) as s:
        ledger = posted(s)
        statements = s.exec(select(Statement).order_by(col(Statement.id))).all()
        runs = {r.id: r for r in s.exec(select(DistributionRun)).all()}
        documents = {
            (d.statement_id, d.format): d.content for d in s.exec(select(StatementDocument)).all()
        }
    assert len(statements) == 24  # 6 contributors x 4 quarters
    reasons_seen: set[str] = set()
    for st in statements:
        header, rows = parsed(documents[(st.id, "csv")])
        assert [row[1] for row in header][:1] == [st.serial]
        assert header[6][1] == st.currency
        sums: dict[str, int] = defaultdict(int)
        totals: dict[str, int] = {}
        for row in rows:
            if row[KIND] in DETAIL:
                sums[DETAIL[row[KIND]]] += int(row[AMOUNT])
            elif row[KIND].startswith("total_"):
                totals[row[KIND]] = int(row[AMOUNT])
            if row[KIND] == "adjustment":
                assert row[REASON] in REASONS, (st.serial, row)
                reasons_seen.add(row[REASON])
        assert totals == {
            "total_gross": st.gross_minor,
            "total_adjustments": st.adjustments_minor,
            "total_net": st.net_payable_minor,
        }, st.serial
        assert (sums["gross"], sums["adjustments"]) == (st.gross_minor, st.adjustments_minor)
        assert sums["gross"] + sums["adjustments"] + sums["withholding"] == st.net_payable_minor
        assert -sums["withholding"] == st.withholding_minor
        on_ledger = ledger.get((st.run_id, st.contributor_organisation_id), {})
        assert on_ledger.get("contributor_payable", 0) == st.net_payable_minor, st.serial
        assert on_ledger.get("withholding_tax_payable", 0) == st.withholding_minor, st.serial

        html = documents[(st.id, "html")].decode("utf-8")
        assert f'net-payable">{money(st.net_payable_minor, st.currency)}</td>' in html
        run = runs[st.run_id]
        assert run is not None
        distributable = money(run.distributable_minor, st.currency)
        shown = re.search(r'<tr class="sum"><td>[^<]*: ([-\d,.]+) ([+−]) ([\d,.]+) =</td>', html)
        assert shown is not None, st.serial
        first, sign, rest = shown.groups()
        as_minor = [int(text.replace(",", "").replace(".", "")) for text in (first, rest)]
        assert as_minor[0] + (as_minor[1] if sign == "+" else -as_minor[1]) == (
            run.distributable_minor
        )
        assert f'<td class="num">{distributable}</td></tr>' in html
    assert "late_payment" in reasons_seen
