"""Messages raised by services that web pages show, marked so `pybabel extract` puts them in
the catalog: pages translate a service's message when the catalog has it and show it as the
service wrote it otherwise (messages with values inside, like names, usually are)."""

from pool.web.i18n import N_

SERVICE_MESSAGES = (
    # accounts.change_password
    N_("the password was not changed"),
    N_("the current password is wrong"),
    N_("must be at least 12 characters"),
    N_("must be at most 200 characters"),
    N_("must differ from the current password"),
    # lookups a page may end in (404)
    N_("not found"),
    N_("pool not found"),
    N_("organisation not found"),
    N_("user not found"),
    N_("offer not found"),
    # memberships.join / withdraw, agreements.record_filing (admin forms)
    N_("no such organisation"),
    N_("this organisation is already a member of the pool"),
    N_("this membership has already ended"),
    N_("must not be before joined_on"),
    N_("must not be before the signature date"),
    N_("membership not found"),
    N_("agreement not found"),
    # access (403)
    N_("only a pool administrator may do this"),
)
