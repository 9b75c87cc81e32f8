"""Web page controllers (HTML). Each role's pages add their controller to `HANDLERS`."""

from litestar import Controller

from pool.web.controllers.account import AccountController
from pool.web.controllers.admin import AdminController
from pool.web.controllers.admin_agreements import AdminAgreementsController
from pool.web.controllers.admin_audit import AdminListsController
from pool.web.controllers.admin_members import AdminMembersController
from pool.web.controllers.admin_payments import AdminPaymentsController
from pool.web.controllers.admin_runs import AdminRunsController
from pool.web.controllers.contributor import ContributorController
from pool.web.controllers.contributor_statements import ContributorStatementsController
from pool.web.controllers.home import HomeController
from pool.web.controllers.licensee import LicenseeController
from pool.web.controllers.licensee_billing import LicenseeBillingController
from pool.web.controllers.licensee_contract import LicenseeContractController
from pool.web.controllers.licensee_corrections import LicenseeCorrectionController
from pool.web.controllers.licensee_reports import LicenseeReportController
from pool.web.controllers.pools import PublicPoolController
from pool.web.controllers.tasks import TasksController

HANDLERS: tuple[type[Controller], ...] = (AccountController, HomeController, PublicPoolController)
HANDLERS += (ContributorController, ContributorStatementsController)
HANDLERS += (AdminController, AdminRunsController, AdminListsController)
HANDLERS += (AdminAgreementsController, AdminMembersController)
HANDLERS += (AdminPaymentsController,)
HANDLERS += (LicenseeController, LicenseeReportController, LicenseeBillingController)
HANDLERS += (LicenseeContractController, LicenseeCorrectionController)
HANDLERS += (TasksController,)
