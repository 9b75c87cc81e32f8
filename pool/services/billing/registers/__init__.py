"""Billing's lists for administrators (issue 17): the payments received (`payment_lists`)
and the licensees with what they were invoiced and owe (`licensee_lists`), narrowed, sorted
and paged with the list toolkit (`pool.services.common.listing`)."""
