"""What a pool publishes, for anyone, signed in or not: the open pools, and each pool's
patents in force and its open licence offers (`pools`). No page here needs a session
(a draft pool is not found).
"""

from pool.web.public.pools import PublicPoolController

__all__ = ["PublicPoolController"]
