"""The licensee's pages, under `/licensee`: its agreements, accepting an open licence and
registering products (`agreements`), the licence contract (`contract`), usage reports and
their submission (`reports`, `submissions`, `report_views`), corrections (`corrections`),
invoices, payment notices and the account statement (`billing`), an invoice as a document to
print or download as PDF (`invoice_document`); `views` holds what they share. Only licensees
see them, and only their own organisation's data: visitors are sent to the login page, any
other role finds nothing (404), as does another licensee's agreement.
"""

from pool.web.licensee.agreements import LicenseeController
from pool.web.licensee.billing import LicenseeBillingController
from pool.web.licensee.contract import LicenseeContractController
from pool.web.licensee.corrections import LicenseeCorrectionController
from pool.web.licensee.invoice_document import LicenseeInvoiceDocumentController
from pool.web.licensee.reports import LicenseeReportController

__all__ = [
    "LicenseeBillingController",
    "LicenseeContractController",
    "LicenseeController",
    "LicenseeCorrectionController",
    "LicenseeInvoiceDocumentController",
    "LicenseeReportController",
]
