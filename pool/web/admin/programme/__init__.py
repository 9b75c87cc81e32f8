"""The administrator's pages for the programme's other deals (issue 18): the pool's deal
register (`deals`: transfers, licences outside the pool, capital contributions and pledges,
with receipts, the pledgee's consent and the end or release, confirmed in words; its forms
and actions in `pool.web.deals`, which the contributor's register shares) and its
open-licence offers (`offers`: publish, withdraw confirmed), where a pledge in force without
consent refuses an offer covering its patents. Administrators use the forms; auditors read."""

from pool.web.admin.programme.deals import AdminDealsController
from pool.web.admin.programme.offers import AdminOffersController

__all__ = ["AdminDealsController", "AdminOffersController"]
