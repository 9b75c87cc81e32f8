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
    # the payee and the fapiao details (pool.validation: bank, uscc; models: organisation)
    N_(
        "a SWIFT/BIC code is 8 or 11 letters and digits: 4 letters for the bank, 2 for the "
        "country, 2 letters or digits for the place and optionally 3 for the branch"
    ),
    N_("the SWIFT/BIC code's 5th and 6th letters are not a country code"),
    N_("a CNAPS code is 12 digits"),
    N_("the IBAN's check digits do not match: a character is mistyped"),
    N_("an IBAN starts with a country code"),
    N_("an account number is 4 to 40 letters, digits and hyphens"),
    N_("a unified social credit code has 18 characters"),
    N_(
        "a unified social credit code has digits and capital letters other than I, O, S, V "
        "and Z, and digits in positions 3 to 8"
    ),
    N_("the check character does not match the code: a character is mistyped"),
    N_("a phone number is digits, with spaces, hyphens, brackets and a leading + allowed"),
    N_("an account number has digits"),
    N_("only the licensee itself may change its fapiao details"),
    # payouts: bank details (pool.validation.payout_accounts, payouts.bank_details), batches
    N_("not a valid IBAN: its country, length or check digits do not match"),
    N_("not a valid SWIFT/BIC code: 8 or 11 characters with a known country"),
    N_("a Chinese bank account number is 8 to 30 digits"),
    N_("required for this kind of account"),
    N_("the bank details are not valid"),
    N_("the pool has no payee details: set the account payouts are paid from first"),
    N_("no contributor with bank details is owed money that is not in a batch yet"),
    N_("mark the batch sent before recording its payments"),
    N_("a payment is paid on or after the day its batch was sent"),
    N_("a date is written YYYY-MM-DD"),
    N_("this field is required"),
    # payout batch and line statuses (shown with `| translate`)
    N_("created"),
    N_("sent"),
    N_("pending"),
    N_("paid"),
    N_("returned"),
    # licensing.picking (the record-a-payment form names its licensee by typing)
    N_("no licensee of this pool has this name"),
    N_("several licensees have this name"),
)
