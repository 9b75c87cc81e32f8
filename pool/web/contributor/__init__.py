"""The contributor's pages, under `/contributor`: its patents (`patents`), submitting patents
by form or CSV upload (`submissions`, a large file as a background task: `background_import`),
its statements with their documents (`statements`), the evaluation fees it is billed
(`fees`) and the deals of its patents (`deals`:
transfers, licences outside the pool, capital contributions, pledges); `access` says who is a
contributor and which pools are theirs, `views` shapes what the pages show. Only contributors
see them, and only their own organisation's patents, statements and deals: visitors are sent
to the login page, any other role finds nothing (404), as does another contributor's patent
or deal.
"""

from pool.web.contributor.deals import ContributorDealsController
from pool.web.contributor.fees import ContributorFeesController
from pool.web.contributor.patents import ContributorPatentsController
from pool.web.contributor.remuneration import ContributorRemunerationController
from pool.web.contributor.statements import ContributorStatementsController
from pool.web.contributor.submissions import ContributorSubmissionsController

__all__ = [
    "ContributorDealsController",
    "ContributorFeesController",
    "ContributorPatentsController",
    "ContributorRemunerationController",
    "ContributorStatementsController",
    "ContributorSubmissionsController",
]
