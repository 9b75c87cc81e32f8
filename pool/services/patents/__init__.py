"""Patents and the intervals in which they count for a pool: onboarding (`onboarding`, re-exported
here as `patents.submit(...)`), the rules on a patent's own data (`rules`), CSV onboarding
(`csv_import`), the evaluation workflow (`evaluation`; by independent evaluators: `evidence`,
`sniffing`, `assignments`, `findings`, `verdicts`, `evaluation_access`, docs/evaluation.md),
daily expiry (`upkeep`) and the published patent list (`public`). It calls `pools`, `audit`,
`tasks` (progress) and `common`."""

from pool.services.patents.onboarding import (
    get,
    in_force_on,
    in_force_patents,
    inclusions,
    listing,
    move,
    open_pool,
    public_row,
    require_member,
    save_change,
    submit,
    update,
)

__all__ = [
    "get",
    "in_force_on",
    "in_force_patents",
    "inclusions",
    "listing",
    "move",
    "open_pool",
    "public_row",
    "require_member",
    "save_change",
    "submit",
    "update",
]
