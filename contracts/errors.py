"""Domain exceptions of `contracts`.

Every exception names the place at fault as a JSON path (``$.categories[1].tiers[0].from_units``)
so the service can map it to an RFC 9457 problem without guessing which field was wrong.
"""

Problem = tuple[str, str]
"""One problem: (JSON path, message)."""


class ContractsError(Exception):
    """Base class: a problem with terms, a report, an offer or an agreement.

    `path` and `message` describe the first problem; `problems` lists all of them (at least
    one), in the order they were found, so a caller can report every bad field at once.
    """

    def __init__(self, path: str, message: str, *, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.problems: tuple[Problem, ...] = problems or ((path, message),)


class InvalidTerms(ContractsError):
    """Royalty or payment terms are malformed or inconsistent."""


class InvalidReport(ContractsError):
    """A usage report (or the year-to-date state it is applied to) cannot be charged."""


class InvalidOffer(ContractsError):
    """An open-licence offer breaks a rule of open licensing."""


class IllegalTransition(ContractsError):
    """A licence agreement cannot make the requested move (wrong state or date)."""
