"""What a licensee signs: versions of a pool's licence terms (`terms`), open-licence offers
(`offers`), licence agreements and their filing (`agreements`), patent-product filing
(`products`) and the review flags computed from them (`review_flags`). It calls `patents`,
`pools`, `audit` and `common`."""
