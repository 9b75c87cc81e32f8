"""Use cases: keyword-only functions taking the session and an explicit `now`; they never commit.

One subpackage per bounded context, each `__init__` saying what it owns and which contexts it
calls (docs/architecture.md has the map). From the bottom up: `common` (plumbing), `tasks`,
`mail`, `audit`, `accounts`, `pools`, `patents`, `licensing`, `billing`, `reports`,
`distribution`, `statements`, `figures`. A context calls only contexts listed before it
(`mail` and `tasks` call none); import-linter checks that no two contexts import each other."""
