"""The audit trail in words (issue 17): one table of what each action and each kind of object
is called, translated like every msgid, and each event's before/after as the fields that
changed. An action the table does not know reads as its code."""

import json
from dataclasses import dataclass
from typing import Any

from pool.models.audit import AuditEventRead
from pool.web.i18n import N_

ACTIONS = {
    "agreement.created": N_("Agreement drafted"),
    "agreement.offer_accepted": N_("Open licence accepted"),
    "agreement.active": N_("Agreement put in force"),
    "agreement.suspended": N_("Agreement suspended"),
    "agreement.terminated": N_("Agreement terminated"),
    "agreement.expired": N_("Agreement expired"),
    "agreement.filed": N_("Contract filing recorded"),
    "audit.key_rotated": N_("Audit signing key rotated"),
    "bank_credit.assigned": N_("Bank credit assigned to a licensee"),
    "bank_credit.dismissed": N_("Bank credit dismissed"),
    "bank_statement.imported": N_("Bank statement imported"),
    "distribution_run.computed": N_("Distribution computed"),
    "distribution_run.approved": N_("Distribution approved"),
    "invoice.issued": N_("Invoice issued"),
    "invoice.cancelled": N_("Invoice cancelled"),
    "invoice.paid": N_("Invoice paid"),
    "invoice.part_fell_due": N_("Invoice part fell due"),
    "invoice.payments_released": N_("Payments released from an invoice"),
    "invoice.reopened": N_("Invoice reopened"),
    "invoice.threshold_reached": N_("Deferred invoice fell due (threshold reached)"),
    "invoice.written_off": N_("Invoice written off"),
    "membership.joined": N_("Contributor joined the pool"),
    "membership.withdrawn": N_("Membership withdrawn"),
    "offer.published": N_("Open licence offer published"),
    "offer.withdrawn": N_("Open licence offer withdrawn"),
    "organisation.created": N_("Organisation created"),
    "organisation.updated": N_("Organisation updated"),
    "organisation.bank_details_set": N_("Bank details set"),
    "organisation.fapiao_set": N_("Fapiao details set"),
    "patent.submitted": N_("Patent submitted"),
    "patent.updated": N_("Patent updated"),
    "patent.evaluation_started": N_("Patent evaluation started"),
    "patent.accepted": N_("Patent accepted"),
    "patent.rejected": N_("Patent rejected"),
    "patent.expired": N_("Patent expired"),
    "patent.lapsed": N_("Patent lapsed"),
    "patent.invalidated": N_("Patent invalidated"),
    "patent.withdrawn": N_("Patent withdrawn"),
    "patent.inventors_set": N_("Patent inventors set"),
    "payment.recorded": N_("Payment recorded"),
    "payment.credit_applied": N_("Credit applied to invoices"),
    "payment_allocation.made": N_("Payment settled an invoice"),
    "payment_allocation.released": N_("Payment released from an invoice"),
    "payment_notice.declared": N_("Payment notice declared"),
    "payment_notice.confirmed": N_("Payment notice confirmed"),
    "payment_notice.rejected": N_("Payment notice rejected"),
    "payout_batch.created": N_("Payout batch created"),
    "payout_batch.sent": N_("Payout batch sent to the bank"),
    "payout_line.created": N_("Payout prepared"),
    "payout_line.paid": N_("Payout paid"),
    "payout_line.returned": N_("Payout returned"),
    "pool.created": N_("Pool created"),
    "pool.updated": N_("Pool updated"),
    "pool.payee_set": N_("Payee account set"),
    "product.registered": N_("Product registered"),
    "statement.issued": N_("Statement issued"),
    "terms.created": N_("Licence terms created"),
    "token.created": N_("API token created"),
    "token.revoked": N_("API token revoked"),
    "usage_report.accepted": N_("Usage report accepted"),
    "usage_report.corrected": N_("Usage report corrected"),
    "usage_report.recharged": N_("Usage report charged again"),
    "usage_report.superseded": N_("Usage report superseded"),
    "user.created": N_("User created"),
    "user.password_changed": N_("Password changed"),
}
OBJECTS = {
    "api_token": N_("API token"),
    "audit_key": N_("Audit key"),
    "bank_credit": N_("Bank credit"),
    "bank_statement_file": N_("Bank statement"),
    "distribution_run": N_("Distribution run"),
    "invoice": N_("Invoice"),
    "licence_agreement": N_("Agreement"),
    "licence_terms": N_("Licence terms"),
    "membership": N_("Membership"),
    "open_offer": N_("Open licence offer"),
    "organisation": N_("Organisation"),
    "patent": N_("Patent"),
    "payment": N_("Payment"),
    "payment_allocation": N_("Payment allocation"),
    "payment_notice": N_("Payment notice"),
    "payout_batch": N_("Payout batch"),
    "payout_line": N_("Payout"),
    "pool": N_("Pool"),
    "product": N_("Product"),
    "statement": N_("Statement"),
    "usage_report": N_("Usage report"),
    "user": N_("User"),
}
MAX_VALUE = 120


@dataclass(frozen=True)
class Change:
    """One field of the object: its value before the event and after it ("" if absent)."""

    field: str
    before: str
    after: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def changes(event: AuditEventRead) -> list[Change]:
    """The fields whose value differs between `before` and `after` (all of `after` for a
    creation, all of `before` for a deletion), in the order the event stored them."""
    before, after = event.before or {}, event.after or {}
    names = [*before, *(name for name in after if name not in before)]
    return [
        Change(name, _text(before.get(name)), _text(after.get(name)))
        for name in names
        if before.get(name) != after.get(name)
    ]
