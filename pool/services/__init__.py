"""Use cases: keyword-only functions taking the session and an explicit `now`; they never commit."""
