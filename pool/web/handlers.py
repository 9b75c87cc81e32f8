"""Every web page controller (HTML), in one place: `pool.web.portal` mounts `HANDLERS` at `/`.
The controllers live in a package per audience (`account`, `public`, `admin`, `licensee`,
`contributor`); a new controller is exported by its package and added here."""

from litestar import Controller

from pool.web.account import (
    AccountController,
    HomeController,
    PickersController,
    TasksController,
)
from pool.web.admin import (
    AdminAgreementMovesController,
    AdminAgreementsController,
    AdminBankController,
    AdminController,
    AdminInvoicesController,
    AdminListsController,
    AdminMembersController,
    AdminOutboxController,
    AdminPatentsController,
    AdminPayeeController,
    AdminPaymentsController,
    AdminPayoutsController,
    AdminRunController,
    AdminRunsController,
    AdminStatementController,
)
from pool.web.admin.programme import AdminDealsController, AdminOffersController
from pool.web.admin.registers import (
    AdminLicenseesController,
    AdminPaymentListController,
    AdminReportsController,
    AdminStatementListController,
)
from pool.web.challenges import ChallengeController
from pool.web.contributor import (
    ContributorDealsController,
    ContributorFeesController,
    ContributorPatentsController,
    ContributorRemunerationController,
    ContributorStatementsController,
    ContributorSubmissionsController,
)
from pool.web.evaluation import AdminEvaluationController, EvaluatorController
from pool.web.licensee import (
    LicenseeBillingController,
    LicenseeContractController,
    LicenseeController,
    LicenseeCorrectionController,
    LicenseeInvoiceDocumentController,
    LicenseeReportController,
)
from pool.web.public import PublicPoolController

HANDLERS: tuple[type[Controller], ...] = (AccountController, HomeController, PublicPoolController)
HANDLERS += (ContributorPatentsController, ContributorSubmissionsController)
HANDLERS += (ContributorStatementsController, ContributorRemunerationController)
HANDLERS += (ContributorDealsController, ContributorFeesController)
HANDLERS += (AdminController, AdminRunsController, AdminListsController)
HANDLERS += (AdminAgreementsController, AdminMembersController)
HANDLERS += (AdminPaymentsController, AdminBankController, AdminPayeeController)
HANDLERS += (AdminPayoutsController, AdminRunController)
HANDLERS += (LicenseeController, LicenseeReportController, LicenseeBillingController)
HANDLERS += (LicenseeContractController, LicenseeCorrectionController)
HANDLERS += (LicenseeInvoiceDocumentController,)
HANDLERS += (AdminStatementController, AdminOutboxController)
HANDLERS += (TasksController,)
HANDLERS += (AdminAgreementMovesController, AdminPatentsController)
HANDLERS += (AdminInvoicesController, AdminReportsController, AdminPaymentListController)
HANDLERS += (AdminStatementListController, AdminLicenseesController)
HANDLERS += (PickersController,)
HANDLERS += (AdminDealsController, AdminOffersController)
HANDLERS += (EvaluatorController, AdminEvaluationController, ChallengeController)
