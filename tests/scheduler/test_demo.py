"""`patentpool demo` at a small size (6 contributors, 60 patents, 12 licensees) on a fresh
SQLite data dir, through click's runner: a statement for every contributor and quarter, the
exported files and e-mails carry the stored bytes, the printed totals add up to the cash
received, the year's story happened, a second run changes nothing, another data dir is
refused, and the same seed builds the same statements."""

import csv
import email
import hashlib
import io
from collections import Counter
from datetime import date, timedelta
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.models.audit import AuditEvent
from pool.models.billing import Invoice, InvoiceInstalment, PaymentAllocation
from pool.models.distribution import DistributionRun, Statement, StatementDocument
from pool.models.inventor import PatentInventor
from pool.models.membership import Membership
from pool.models.organisation import Organisation
from pool.models.outbox import OutboxMessage
from pool.models.patent import Patent
from pool.models.reporting import UsageReport
from scheduler.cli import main
from tests.scheduler.demo_year import SMALL, Built, demo

# A year of the demo, built once (tests/scheduler/demo_year.py): its tests go first and stay on
# one worker (tests/conftest.py)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo")]

QUARTERS = [date(2025, 1, 1), date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1)]


def test_every_contributor_has_a_statement_for_every_quarter(built: Built) -> None:
    with Session(built.engine) as s:
        members = s.exec(select(Membership.organisation_id)).all()
        issued = s.exec(
            select(col(Statement.contributor_organisation_id), col(Statement.period_start))
        )
        assert sorted(issued.all()) == sorted((m, q) for m in members for q in QUARTERS)
        runs = s.exec(select(DistributionRun.status)).all()
    assert len(members) == 6
    assert runs == ["approved"] * 4  # the pool approves its runs at period close


def test_exported_statements_and_e_mails_carry_the_stored_bytes(built: Built) -> None:
    with Session(built.engine) as s:
        stored = {
            f"{serial}.{fmt}": content
            for serial, fmt, content in s.exec(
                select(Statement.serial, StatementDocument.format, StatementDocument.content).join(
                    StatementDocument, col(StatementDocument.statement_id) == Statement.id
                )
            )
        }
    assert len(stored) == 6 * 4 * 3  # HTML, CSV and PDF of each
    folder = built.data_dir / "statements"
    assert sorted(p.name for p in folder.iterdir()) == sorted(stored)
    for name, content in stored.items():
        assert (folder / name).read_bytes() == content
    attached = {}
    for path in (built.data_dir / "outbox").glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for part in message.iter_attachments():
            name = str(part.get_filename()).removeprefix("statement-")
            attached[name] = part.get_content()
    assert {n: c for n, c in attached.items() if n.endswith(".pdf")} == {
        n: c for n, c in stored.items() if n.endswith(".pdf")
    }
    assert f"in {folder}/" in built.result.output


def _printed_quarters(output: str) -> dict[str, list[int]]:
    """The rows of the printed runs table: received, fee, withholding, net in minor units."""
    rows = {}
    for line in output.splitlines():
        cells = line.split()
        if len(cells) == 9 and cells[0] in ("Q1", "Q2", "Q3", "Q4") and cells[1] == "2025":
            rows[cells[0]] = [int(c.replace(",", "").replace(".", "")) for c in cells[2:6]]
            assert cells[8] == "yes"
    return rows


def test_printed_totals_add_up_to_the_cash_received_each_quarter(built: Built) -> None:
    printed = _printed_quarters(built.result.output)
    assert list(printed) == ["Q1", "Q2", "Q3", "Q4"]
    with Session(built.engine) as s:
        for n, start in enumerate(QUARTERS, start=1):
            end = QUARTERS[n] if n < 4 else date(2026, 1, 1)
            cash = s.exec(  # the licensees' money: evaluation fees are the pool's own
                select(func.sum(PaymentAllocation.amount_minor))
                .join(Invoice, col(Invoice.id) == PaymentAllocation.invoice_id)
                .where(
                    col(PaymentAllocation.allocated_on) >= start,
                    col(PaymentAllocation.allocated_on) < end,
                    Invoice.kind != "evaluation_fee",
                )
            ).one()
            net, withheld = s.exec(
                select(
                    func.sum(Statement.net_payable_minor), func.sum(Statement.withholding_minor)
                ).where(Statement.period_start == start)
            ).one()
            received, fee, withholding, paid_out = printed[f"Q{n}"]
            assert (net, withheld) == (paid_out, withholding)
            assert net + withheld + fee == received == cash
    assert sum(row[0] for row in printed.values()) > 0
    with Session(built.engine) as s:
        fees = s.exec(
            select(Invoice.status, func.sum(PaymentAllocation.amount_minor))
            .join(PaymentAllocation, col(PaymentAllocation.invoice_id) == Invoice.id)
            .where(Invoice.kind == "evaluation_fee")
            .group_by(col(Invoice.status))
        ).all()
    assert fees == [("paid", 600_000)]  # two patents evaluated in April, CNY 3,000.00 each


def test_the_year_has_the_story_the_demo_promises(built: Built) -> None:
    with Session(built.engine) as s:
        orgs = s.exec(select(Organisation.kind, Organisation.language)).all()
        reports = s.exec(select(UsageReport)).all()
        expired = s.exec(select(col(Patent.ended_on)).where(Patent.status == "expired")).all()
        deferred = s.exec(
            select(col(InvoiceInstalment.due_on), col(Invoice.issued_on)).join(
                Invoice, col(Invoice.id) == InvoiceInstalment.invoice_id
            )
        ).all()
        paid = set(s.exec(select(PaymentAllocation.invoice_id)).all())
        unpaid = [
            i
            for i in s.exec(select(Invoice).where(Invoice.usage_start == date(2025, 4, 1)))
            if i.id not in paid and i.status == "open"
        ]
        reminders = s.exec(select(OutboxMessage.kind).distinct()).all()
        fees = s.exec(select(Invoice.id).where(Invoice.kind == "fixed_fee")).all()
    assert {kind for kind, _ in orgs} >= {
        "university",
        "research_institute",
        "state_owned_enterprise",
        "private_company",
    }
    assert {language for _, language in orgs} == {"en", "zh-CN"}
    assert any(r.is_nil for r in reports)
    assert any(r.status == "superseded" for r in reports)  # a correction
    assert any(r.submitted_at.date() > r.period_end + timedelta(days=30) for r in reports)
    assert expired
    assert all(day is not None and day.year == 2025 for day in expired)
    assert any(due and due > issued + timedelta(days=120) for due, issued in deferred)  # ufpl
    assert unpaid  # one invoice is never paid: memo lines and reminders show it
    assert fees  # entry fees of the negotiated licences
    assert set(reminders) >= {"statement", "overdue_invoice", "report_missing"}


def test_a_second_run_on_the_same_data_dir_changes_nothing(built: Built) -> None:
    with Session(built.engine) as s:
        events = s.exec(select(func.count()).select_from(AuditEvent)).one()
    again = demo(built.data_dir, *SMALL)
    assert again.exit_code == 0, again.output
    assert "already built (nothing changed)" in again.output
    assert "Running 2025" not in again.output
    with Session(built.engine) as s:
        assert s.exec(select(func.count()).select_from(AuditEvent)).one() == events

    def tables(output: str) -> str:
        return output[output.index("Distribution runs") : output.index("patentpool demo: pool")]

    assert tables(again.output) == tables(built.result.output)


def test_a_data_dir_with_other_data_is_refused(tmp_path: Path) -> None:
    env = {
        "PATENTPOOL_DATA_DIR": str(tmp_path),
        "PATENTPOOL_DATABASE_URL": "",
        "PATENTPOOL_NEW_PASSWORD": "a long enough password",
        "PATENTPOOL_ARGON2_MEMORY_KIB": "1024",
    }
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    made = runner.invoke(main, ["user", "create", "--email", "a@b.org", "--name", "A"], env=env)
    assert made.exit_code == 0, made.output
    refused = demo(tmp_path, *SMALL)
    assert refused.exit_code == 1
    assert "already holds other data (user a@b.org)" in refused.output


def test_the_same_seed_builds_the_same_statements(built: Built, tmp_path: Path) -> None:
    other = demo(tmp_path / "data", *SMALL)
    assert other.exit_code == 0, other.output

    def digests(data_dir: Path) -> dict[str, str]:
        folder = data_dir / "statements"
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}

    assert digests(tmp_path / "data") == digests(built.data_dir)
    assert _printed_quarters(other.output) == _printed_quarters(built.result.output)


def test_universities_and_institutes_record_inventors_on_part_of_their_patents(
    built: Built,
) -> None:
    with Session(built.engine) as s:
        with_inventors = s.exec(select(func.count(func.distinct(PatentInventor.patent_id)))).one()
        patents = s.exec(select(func.count()).select_from(Patent)).one()
        shares = s.exec(
            select(PatentInventor.patent_id, func.sum(PatentInventor.share_bp)).group_by(
                col(PatentInventor.patent_id)
            )
        ).all()
    assert 0 < with_inventors < patents
    assert {total for _, total in shares} == {10_000}


def test_the_corrected_report_reaches_a_later_statement_as_a_report_correction(
    built: Built,
) -> None:
    """The licensee that corrects its first quarter does so after that quarter's money was
    distributed, so a later statement carries the difference with its reason; late payments
    for earlier quarters are there too (the stored CSV's reason column)."""
    with Session(built.engine) as s:
        documents = s.exec(
            select(StatementDocument.content).where(StatementDocument.format == "csv")
        ).all()
    reasons: Counter[str] = Counter()
    for content in documents:
        for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
            reasons.update(code for code in row if code in ("report_correction", "late_payment"))
    assert reasons["report_correction"] > 0
    assert reasons["late_payment"] > 0
