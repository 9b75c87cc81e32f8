"""Patent transactions outside the pool's licence (the programme's other deals): the register
of transfers, licences, capital contributions and pledges (`register`), what they do to the
pool (`effects`: a transfer ends the patent's inclusion, an active pledge blocks open-licence
offers and transfers) and the review flags they raise (`flags`). It calls `patents`, `pools`,
`audit` and `common`; `licensing` and `figures` call it."""

from pool.services.deals.effects import patents_covered_by_offer, refuse_if_pledged

__all__ = ["patents_covered_by_offer", "refuse_if_pledged"]
