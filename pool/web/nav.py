"""The role-aware navigation: one table that every role's pages extend.

A later increment adds its page by setting `href` on its entry (or adding one); entries with
no page yet are shown on the home page as "coming", never as dead links. Labels are msgids
(marked with `N_` for `pybabel extract`) and translated when the page is rendered.
"""

from dataclasses import dataclass

from pool.auth import Principal
from pool.models.user import Role
from pool.web.i18n import N_

EVERYONE = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str | None  # None: announced on the home page, not linked yet
    roles: frozenset[Role] = EVERYONE
    in_menu: bool = True  # shown in the top bar (else only on the home page)


NAV: tuple[NavItem, ...] = (
    NavItem(N_("Home"), "/"),
    NavItem(N_("Organisation"), "/organisation", EVERYONE - {Role.ADMIN, Role.AUDITOR}),
    NavItem(N_("Pool dashboard"), "/admin", frozenset({Role.ADMIN, Role.AUDITOR})),
    NavItem(N_("Patent evaluation"), "/admin/patents", frozenset({Role.ADMIN})),
    NavItem(
        N_("Agreements and offers"), "/admin/agreements", frozenset({Role.ADMIN, Role.AUDITOR})
    ),
    NavItem(N_("Licensees"), "/admin/licensees", frozenset({Role.ADMIN, Role.AUDITOR})),
    NavItem(N_("Deal register"), "/admin/deals", frozenset({Role.ADMIN, Role.AUDITOR})),
    NavItem(
        N_("Open-licence offers"),
        "/admin/offers",
        frozenset({Role.ADMIN, Role.AUDITOR}),
        in_menu=False,
    ),
    NavItem(
        N_("Distributions and statements"), "/admin/runs", frozenset({Role.ADMIN, Role.AUDITOR})
    ),
    NavItem(N_("Invoices"), "/admin/invoices", frozenset({Role.ADMIN, Role.AUDITOR})),
    NavItem(N_("Payments"), "/admin/payments", frozenset({Role.ADMIN, Role.AUDITOR})),
    NavItem(N_("Bank statements"), "/admin/bank", frozenset({Role.ADMIN, Role.AUDITOR})),
    NavItem(N_("Payouts"), "/admin/payouts", frozenset({Role.ADMIN, Role.AUDITOR})),
    NavItem(
        N_("Payee and bank details"),
        "/admin/payee",
        frozenset({Role.ADMIN, Role.AUDITOR}),
        in_menu=False,
    ),
    NavItem(N_("Audit trail"), "/admin/audit", frozenset({Role.ADMIN, Role.AUDITOR})),
    NavItem(
        N_("Outgoing e-mail"), "/admin/outbox", frozenset({Role.ADMIN, Role.AUDITOR}), in_menu=False
    ),
    NavItem(N_("My agreements"), "/licensee/agreements", frozenset({Role.LICENSEE})),
    NavItem(N_("Usage reports"), "/licensee/reports", frozenset({Role.LICENSEE})),
    NavItem(N_("Invoices and payments"), "/licensee/invoices", frozenset({Role.LICENSEE})),
    NavItem(
        N_("Account statement"), "/licensee/account", frozenset({Role.LICENSEE}), in_menu=False
    ),
    NavItem(N_("My patents"), "/contributor/patents", frozenset({Role.CONTRIBUTOR})),
    NavItem(N_("Statements"), "/contributor/statements", frozenset({Role.CONTRIBUTOR})),
    NavItem(N_("My deals"), "/contributor/deals", frozenset({Role.CONTRIBUTOR})),
    NavItem(N_("Evaluation fees"), "/contributor/evaluation-fees", frozenset({Role.CONTRIBUTOR})),
    NavItem(N_("My evaluations"), "/evaluation", frozenset({Role.EVALUATOR})),
    NavItem(
        N_("Challenges"),
        "/challenges",
        frozenset({Role.ADMIN, Role.AUDITOR, Role.LICENSEE, Role.CONTRIBUTOR}),
    ),
    NavItem(N_("Password"), "/account/password", in_menu=False),
)

ROLE_LABELS = {
    Role.ADMIN: N_("Pool administrator"),
    Role.AUDITOR: N_("Auditor (read only)"),
    Role.LICENSEE: N_("Licensee"),
    Role.CONTRIBUTOR: N_("Contributor"),
    Role.EVALUATOR: N_("Evaluator"),
}


def for_viewer(viewer: Principal | None) -> list[NavItem]:
    """Everything the viewer's role has, ready or coming; nothing for visitors."""
    if viewer is None:
        return []
    return [item for item in NAV if viewer.role in item.roles]


def menu(viewer: Principal | None) -> list[NavItem]:
    return [item for item in for_viewer(viewer) if item.href and item.in_menu]
