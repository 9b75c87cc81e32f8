"""The demo's essentiality evaluations (issue 19), through the services as the portal and the
API call them: an evaluation agency with two evaluators; in spring the first contributor
submits two more patents with their claim charts, the administrator assigns both evaluators
to each, the evaluators agree on one (admitted on the later finding's date) and disagree on
the other, which the administrator decides. The pool charges an evaluation fee per patent,
invoiced to the contributor as the evaluation begins and paid by it on 20 April. The
challenge that regrades a patent is in `scheduler.demo.challenges` (`challenge_agenda` here
is its hook in the year)."""

import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

from argon2 import PasswordHasher
from sqlmodel import Session

from pool.auth import Principal
from pool.models.billing import InvoiceKind, InvoiceStatus, PaymentCreate
from pool.models.evaluation import (
    AssignmentCreate,
    DecisionCreate,
    EvidenceKind,
    EvidenceUpload,
    FindingCreate,
)
from pool.models.organisation import OrganisationCreate, OrganisationKind
from pool.models.patent import Grade, PatentCreate
from pool.models.pool import PoolUpdate
from pool.models.user import Role, UserCreate
from pool.services import accounts, pools
from pool.services.accounts import organisations
from pool.services.billing import invoices, payments
from pool.services.evaluation_fees import starting
from pool.services.patents import evaluation, evidence, findings, onboarding
from pool.validation import cn_application_check_digit
from scheduler.demo import challenges as demo_challenges
from scheduler.demo import founding
from scheduler.demo.organisations import make_uscc
from scheduler.demo.records import CURRENCY, DEMO_PASSWORD, Plan

Action = Callable[[Session, datetime], str]
AGENCY = "中和专利评价中心"
EVALUATORS = (("evaluator-1@example.org", "李评估"), ("evaluator-2@example.org", "王评估"))
SECTIONS = ["7.2.4", "8.1.3"]
TOPICS = ("基于神经网络的环路滤波方法", "帧间预测的运动矢量精化方法")  # agreed, disputed
UPLOAD_LIMIT = 1 << 20
FINDING_DUE = timedelta(days=30)  # each assignment's finding is due a month after it
EVALUATION_FEE = 300_000  # CNY 3,000.00 per patent evaluated, the pool's own income


def found_agency(
    session: Session, built: founding.Built, *, hasher: PasswordHasher, now: datetime
) -> None:
    """The evaluation agency and its two evaluators (independent of every contributor)."""
    data = OrganisationCreate(
        name=AGENCY,
        kind=OrganisationKind.EVALUATION_AGENCY,
        country="CN",
        uscc=make_uscc(random.Random("demo:evaluation agency"), "12"),
        language="zh-CN",
    )
    agency = organisations.create(session, data=data, actor=founding.SYSTEM, now=now)
    for email, name in EVALUATORS:
        user = accounts.create_user(
            session,
            data=UserCreate(
                email=email, display_name=name, password=DEMO_PASSWORD, role=Role.EVALUATOR,
                organisation_id=agency.id,
            ),
            hasher=hasher, actor=founding.SYSTEM, now=now,
        )  # fmt: skip
        built.evaluators.append(
            founding.principal(user.id or 0, user.email, Role.EVALUATOR, agency.id)
        )


def agenda(the_plan: Plan, built: founding.Built) -> Iterator[tuple[date, Action]]:
    """Submitted on 1 April; the first findings on 20 April; the second on 6 May (agreeing
    on the first patent, which is admitted, disagreeing on the second); decided on 20 May."""
    if len(built.evaluators) < 2 or not the_plan.contributors:
        return
    year, owner = the_plan.year, the_plan.contributors[0].key
    patents: list[int] = []
    charts: list[int] = []
    first, second = built.evaluators[:2]
    yield date(year, 4, 1), _submitter(built, owner, year, patents, charts)
    yield date(year, 4, 20), _fee_payer(built, owner)
    yield date(year, 4, 20), _finder(first, patents, charts, [Grade.B, Grade.A])
    yield date(year, 5, 6), _finder(second, patents, charts, [Grade.B, Grade.C])
    yield date(year, 5, 20), _decider(built, patents)


def challenge_agenda(the_plan: Plan, built: founding.Built) -> Iterator[tuple[date, Action]]:
    """A licensee's challenge that regrades a directly admitted patent from 1 July."""
    return demo_challenges.agenda(the_plan, built)


def _submitter(
    built: founding.Built, owner: str, year: int, patents: list[int], charts: list[int]
) -> Action:
    def submit(session: Session, now: datetime) -> str:
        contributor = built.users[owner]
        pools.update(
            session, principal=built.admin, pool_id=built.pool_id, now=now,
            data=PoolUpdate(evaluation_fee_minor=EVALUATION_FEE),
        )  # fmt: skip
        for n, title in enumerate(TOPICS):
            digits = f"{year - 2}1{n + 1:07d}"  # filed two years ago: no plan number is as late
            patent = onboarding.submit(
                session, principal=contributor, pool_id=built.pool_id, now=now,
                data=PatentCreate(
                    number=f"CN{digits}.{cn_application_check_digit(digits)}", title=title,
                    filing_date=date(year - 2, 3, 1 + n), grant_date=date(year - 1, 11, 2 + n),
                    expiry_date=date(year + 18, 3, 1 + n), standard_sections=SECTIONS,
                ),
            )  # fmt: skip
            patent_id = patent.id or 0
            patents.append(patent_id)
            chart = evidence.upload(
                session, principal=contributor, patent_id=patent_id, filename="chart.txt",
                meta=EvidenceUpload(
                    kind=EvidenceKind.CLAIM_CHART, title=f"权利要求对照表 {title}",
                    version_label="v1", standard_sections=SECTIONS,
                ),
                content=f"权利要求 1 对照 {', '.join(SECTIONS)}: {title}\n".encode(),
                limit=UPLOAD_LIMIT, now=now,
            )  # fmt: skip
            charts.append(chart.id or 0)
            evaluation.start_evaluation(
                session, principal=built.admin, patent_id=patent_id, now=now
            )
            for evaluator in built.evaluators[:2]:
                chosen = AssignmentCreate(
                    evaluator_user_id=evaluator.user_id, assigned_on=now.date(),
                    due_on=now.date() + FINDING_DUE,
                )  # fmt: skip
                starting.assign(
                    session, principal=built.admin, patent_id=patent_id, data=chosen, now=now
                )
        return "evaluations started"

    return submit


def _fee_payer(built: founding.Built, owner: str) -> Action:
    """The contributor pays its evaluation fees by one transfer, quoting the first invoice."""

    def pay(session: Session, now: datetime) -> str:
        payer = built.users[owner].organisation_id or 0
        fees = invoices.listing(
            session, principal=built.admin, agreement_id=None, status=InvoiceStatus.OPEN,
            kind=InvoiceKind.EVALUATION_FEE, limit=50, offset=0,
        ).items  # fmt: skip
        owed = [fee for fee in fees if fee.licensee_organisation_id == payer]
        if not owed:
            return "no evaluation fee to pay"
        payments.record(
            session, principal=built.admin, pool_id=built.pool_id, now=now,
            data=PaymentCreate(
                licensee_organisation_id=payer, reference=owed[0].number,
                currency=CURRENCY, received_on=now.date(),
                amount_minor=sum(fee.total_minor for fee in owed),
            ),
        )  # fmt: skip
        return "evaluation fees paid"

    return pay


def _finder(
    evaluator: Principal, patents: list[int], charts: list[int], grades: list[Grade]
) -> Action:
    def find(session: Session, now: datetime) -> str:
        for patent_id, chart_id, grade in zip(patents, charts, grades, strict=True):
            data = FindingCreate(
                sections={SECTIONS[0]: True, SECTIONS[1]: False}, essential=True, grade=grade,
                reasoning=f"权利要求 1 覆盖 {SECTIONS[0]}，等级 {grade.value}",
                claim_chart_id=chart_id, recorded_on=now.date(),
            )  # fmt: skip
            findings.record(session, principal=evaluator, patent_id=patent_id, data=data, now=now)
        return "evaluation findings"

    return find


def _decider(built: founding.Built, patents: list[int]) -> Action:
    def decide(session: Session, now: datetime) -> str:
        data = DecisionCreate(
            essential=True, grade=Grade.B, decided_on=now.date(),
            reasons="两位评估员均认定必要；实施替代方案成本较高，定为 B 级",
        )  # fmt: skip
        findings.decide(session, principal=built.admin, patent_id=patents[1], data=data, now=now)
        return "evaluation decisions"

    return decide
