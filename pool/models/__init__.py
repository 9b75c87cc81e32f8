"""SQLModel tables and their Create/Update/Read schemas, one module per aggregate."""

from pool.models.audit import AuditEvent
from pool.models.membership import Membership
from pool.models.organisation import Organisation
from pool.models.patent import Patent, PatentInclusion
from pool.models.pool import Pool
from pool.models.user import ApiToken, LoginAttempt, User

__all__ = [
    "ApiToken",
    "AuditEvent",
    "LoginAttempt",
    "Membership",
    "Organisation",
    "Patent",
    "PatentInclusion",
    "Pool",
    "User",
]
