"""The administrator's pages, under `/admin`: the pool dashboard and the onboarding queue
(`dashboard`; the dashboard's year and links: `overview`), distribution runs and statements
(`runs`; one run and its approval: `run_page`; one statement: `statements`), the audit log and
the usage reports (`audit`), the outbox (`outbox`), licence agreements (`agreements`),
memberships (`members`), payments (`payments`), bank statements (`bank`), the payee licensees
pay into (`payee`) and payout batches to contributors (`payouts`); `views` shapes what they
show. Administrators and auditors see them (auditors read only: the forms and their actions are
the administrators'); visitors are sent to the login page, and any other role is told there is
nothing here (404).
"""

from pool.web.admin.agreements import AdminAgreementsController
from pool.web.admin.audit import AdminListsController
from pool.web.admin.bank import AdminBankController
from pool.web.admin.dashboard import AdminController
from pool.web.admin.members import AdminMembersController
from pool.web.admin.outbox import AdminOutboxController
from pool.web.admin.payee import AdminPayeeController
from pool.web.admin.payments import AdminPaymentsController
from pool.web.admin.payouts import AdminPayoutsController
from pool.web.admin.run_page import AdminRunController
from pool.web.admin.runs import AdminRunsController
from pool.web.admin.statements import AdminStatementController

__all__ = [
    "AdminAgreementsController",
    "AdminBankController",
    "AdminController",
    "AdminListsController",
    "AdminMembersController",
    "AdminOutboxController",
    "AdminPayeeController",
    "AdminPaymentsController",
    "AdminPayoutsController",
    "AdminRunController",
    "AdminRunsController",
    "AdminStatementController",
]
