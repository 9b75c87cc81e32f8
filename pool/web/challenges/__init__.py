"""The portal's challenge pages (issue 19): the form a licensee or a contributor files a
challenge with (and its documents), the list each role sees of its own, and each challenge's
page, where the administrator assigns the re-evaluator and closes it with a dated outcome and
the re-evaluator records the finding."""

from pool.web.challenges.pages import ChallengeController

__all__ = ["ChallengeController"]
