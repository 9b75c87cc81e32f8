"""Who may sign in: users and their passwords (`passwords`: creation, password change), the
rate-limited sign-in that costs the same whether or not the account exists (`signin`), session
and API tokens (`tokens`: issue, authenticate, revoke), reading users (`users`),
organisations with their tax profile (`organisations`) and the fapiao request data a licensee
keeps for its invoices (`fapiao`). The token and password functions are
re-exported here (`accounts.login(...)`, `accounts.authenticate(...)`). It calls `audit` and
`common`."""

from pool.services.accounts.passwords import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    change_password,
    create_user,
    password_hasher,
)
from pool.services.accounts.signin import dummy_hash, login
from pool.services.accounts.tokens import (
    TOKEN_PREFIX,
    authenticate,
    authentication,
    create_api_token,
    issue_token,
    list_tokens,
    revoke_token,
)

__all__ = [
    "PASSWORD_MAX_LENGTH",
    "PASSWORD_MIN_LENGTH",
    "TOKEN_PREFIX",
    "authenticate",
    "authentication",
    "change_password",
    "create_api_token",
    "create_user",
    "dummy_hash",
    "issue_token",
    "list_tokens",
    "login",
    "password_hasher",
    "revoke_token",
]
