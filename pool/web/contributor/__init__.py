"""The contributor's pages, under `/contributor`: its patents (`patents`), submitting patents
by form or CSV upload (`submissions`, a large file as a background task: `background_import`)
and its statements with their documents (`statements`); `access` says who is a contributor
and which pools are theirs, `views` shapes what the pages show. Only contributors see them,
and only their own organisation's patents and statements: visitors are sent to the login
page, any other role finds nothing (404), as does another contributor's patent.
"""

from pool.web.contributor.patents import ContributorPatentsController
from pool.web.contributor.remuneration import ContributorRemunerationController
from pool.web.contributor.statements import ContributorStatementsController
from pool.web.contributor.submissions import ContributorSubmissionsController

__all__ = [
    "ContributorPatentsController",
    "ContributorRemunerationController",
    "ContributorStatementsController",
    "ContributorSubmissionsController",
]
