"""HTTP handlers: thin, each calls one service function."""

from litestar import Controller

from pool.controllers import (
    agreements,
    bank,
    billing,
    distributions,
    evaluation,
    grading,
    invoice_documents,
    licensing,
    payment_notices,
    payouts,
    programme,
    reporting,
)
from pool.controllers.audit import AuditController
from pool.controllers.auth import AuthController, MeController
from pool.controllers.organisations import (
    InventorReportController,
    OrganisationController,
    WithholdingCertificateController,
)
from pool.controllers.patents import PatentController, PoolPatentController
from pool.controllers.pools import MembershipController, PoolController
from pool.controllers.public import ApiRootController, PublicController
from pool.controllers.users import UserController

API_CONTROLLERS: tuple[type[Controller], ...] = (
    ApiRootController,
    AuthController,
    MeController,
    UserController,
    OrganisationController,
    PoolController,
    MembershipController,
    PoolPatentController,
    PatentController,
    PublicController,
    AuditController,
    *licensing.HANDLERS,
    *agreements.HANDLERS,
    *reporting.HANDLERS,
    *billing.HANDLERS,
    InventorReportController,
    WithholdingCertificateController,
    *invoice_documents.HANDLERS,
    *bank.HANDLERS,
    *payment_notices.HANDLERS,
    *distributions.HANDLERS,
    *payouts.HANDLERS,
    *grading.HANDLERS,
    *programme.HANDLERS,
    *evaluation.HANDLERS,
)
