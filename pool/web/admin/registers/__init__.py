"""The administrator's registers that are only lists (issue 17): usage reports (`reports`),
payments received (`payments`), issued statements (`statements`) and licensees
(`licensees`), each searched, filtered, sorted, paged and exported with the list toolkit
(`pool.web.lists`). Staff only, as every `/admin` page; auditors read them too."""

from pool.web.admin.registers.licensees import AdminLicenseesController
from pool.web.admin.registers.payments import AdminPaymentListController
from pool.web.admin.registers.reports import AdminReportsController
from pool.web.admin.registers.statements import AdminStatementListController

__all__ = [
    "AdminLicenseesController",
    "AdminPaymentListController",
    "AdminReportsController",
    "AdminStatementListController",
]
