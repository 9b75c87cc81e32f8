"""What the two keepers of the deal register share (issue 18, docs/deals.md): the
administrator's pages (`pool.web.admin.programme.deals`, every deal of a pool) and the
contributor's (`pool.web.contributor.deals`, its own deals in every pool). `forms` reads the
forms as typed into the API's schemas; `actions` holds the list's labels and CSV, the refusals,
the receipt, consent and end, and the end's confirmation page. The service
(`deals.register`) decides who may do what."""
