"""The administrator's pages, under `/admin`: the pool dashboard (`dashboard`; its year and
links: `overview`), patents and their evaluation, the onboarding queue among them (`patents`),
distribution runs and statements (`runs`; one run and its approval: `run_page`; one statement:
`statements`), the audit log and the usage reports (`audit`), the outbox (`outbox`), licence
agreements (`agreements`; changing their state, confirmed: `agreement_moves`), memberships
(`members`), every licensee's invoices (`invoices`), payments (`payments`), bank statements
(`bank`), the payee licensees pay into (`payee`), payout batches to contributors
(`payouts`), and the deal register and open-licence offers (`programme`); `views` shapes what
they show. Administrators and auditors see them (auditors read
only: the forms and their actions are the administrators'); visitors are sent to the login
page, and any other role is told there is nothing here (404).
"""

from pool.web.admin.agreement_moves import AdminAgreementMovesController
from pool.web.admin.agreements import AdminAgreementsController
from pool.web.admin.audit import AdminListsController
from pool.web.admin.bank import AdminBankController
from pool.web.admin.dashboard import AdminController
from pool.web.admin.invoices import AdminInvoicesController
from pool.web.admin.members import AdminMembersController
from pool.web.admin.outbox import AdminOutboxController
from pool.web.admin.patents import AdminPatentsController
from pool.web.admin.payee import AdminPayeeController
from pool.web.admin.payments import AdminPaymentsController
from pool.web.admin.payouts import AdminPayoutsController
from pool.web.admin.run_page import AdminRunController
from pool.web.admin.runs import AdminRunsController
from pool.web.admin.statements import AdminStatementController

__all__ = [
    "AdminAgreementMovesController",
    "AdminAgreementsController",
    "AdminBankController",
    "AdminController",
    "AdminInvoicesController",
    "AdminListsController",
    "AdminMembersController",
    "AdminOutboxController",
    "AdminPatentsController",
    "AdminPayeeController",
    "AdminPaymentsController",
    "AdminPayoutsController",
    "AdminRunController",
    "AdminRunsController",
    "AdminStatementController",
]
