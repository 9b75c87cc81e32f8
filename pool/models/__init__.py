"""SQLModel tables and their Create/Update/Read schemas, one module per aggregate."""

from pool.models.audit import AuditEvent
from pool.models.bank import BankCredit, BankStatementFile
from pool.models.billing import Invoice, InvoiceInstalment, InvoiceLine, Payment, PaymentAllocation
from pool.models.billing.payment_notice import PaymentNotice
from pool.models.deal import DealReceipt, PatentDeal, PatentDealPatent
from pool.models.distribution import (
    DistributionRun,
    RunContributor,
    RunLine,
    RunPatentLine,
    RunUsagePeriod,
    Statement,
    StatementDocument,
)
from pool.models.evaluation import (
    Challenge,
    ChallengeDocument,
    ChallengeFinding,
    EvaluationAssignment,
    EvaluationFinding,
    EvidenceDocument,
)
from pool.models.grading import PatentGrade
from pool.models.inventor import PatentInventor
from pool.models.ledger import JournalEntry, Posting
from pool.models.licensing import LicenceAgreement, LicenceTerms, OpenOffer, Product
from pool.models.membership import Membership, MembershipBound
from pool.models.organisation import FapiaoDetails, Organisation
from pool.models.outbox import OutboxMessage
from pool.models.patent import Patent, PatentInclusion
from pool.models.payout import ContributorBankDetails, PayoutBatch, PayoutLine
from pool.models.pool import Pool, PoolPayee
from pool.models.reporting import IdempotencyRecord, UsageReport, UsageReportLine
from pool.models.task import BackgroundTask
from pool.models.user import ApiToken, LoginAttempt, User

__all__ = [
    "ApiToken",
    "AuditEvent",
    "BackgroundTask",
    "BankCredit",
    "BankStatementFile",
    "Challenge",
    "ChallengeDocument",
    "ChallengeFinding",
    "ContributorBankDetails",
    "DealReceipt",
    "DistributionRun",
    "EvaluationAssignment",
    "EvaluationFinding",
    "EvidenceDocument",
    "FapiaoDetails",
    "IdempotencyRecord",
    "Invoice",
    "InvoiceInstalment",
    "InvoiceLine",
    "JournalEntry",
    "LicenceAgreement",
    "LicenceTerms",
    "LoginAttempt",
    "Membership",
    "MembershipBound",
    "OpenOffer",
    "Organisation",
    "OutboxMessage",
    "Patent",
    "PatentDeal",
    "PatentDealPatent",
    "PatentGrade",
    "PatentInclusion",
    "PatentInventor",
    "Payment",
    "PaymentAllocation",
    "PaymentNotice",
    "PayoutBatch",
    "PayoutLine",
    "Pool",
    "PoolPayee",
    "Posting",
    "Product",
    "RunContributor",
    "RunLine",
    "RunPatentLine",
    "RunUsagePeriod",
    "Statement",
    "StatementDocument",
    "UsageReport",
    "UsageReportLine",
    "User",
]
