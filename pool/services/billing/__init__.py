"""Money owed and received: invoices and their numbers, what an invoice charges (`charging`,
`recharging`, `accrual_schedule`: the inputs of `contracts.royalty_due` and
`contracts.payment_schedule`), the double-entry `ledger`, payments, payment notices, settlement
and released allocations, dues and late interest, fixed fees, good standing, account statements,
the per-licensee money lock (`licensee_money`) and the reminders written to the outbox. It calls
`licensing` (terms), `pools`, `audit` and `common`."""
