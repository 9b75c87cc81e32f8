"""The licence agreement state machine.

    draft -> active -> suspended -> active
                    \\-> terminated      (also from suspended)
                    \\-> expired

Terminated and expired are final. Every move carries a date; a move dated before the previous
one is refused, so the history reads in order. Agreements are immutable: a move returns a new
agreement.
"""

from datetime import date
from enum import StrEnum

from contracts.base import Model
from contracts.errors import IllegalTransition


class LicenceType(StrEnum):
    """Ordinary (non-exclusive), sole (licensor keeps the right to use), exclusive."""

    ORDINARY = "ordinary"
    SOLE = "sole"
    EXCLUSIVE = "exclusive"


class AgreementState(StrEnum):
    """Where an agreement stands."""

    DRAFT = "draft"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    EXPIRED = "expired"


ALLOWED_MOVES: dict[AgreementState, frozenset[AgreementState]] = {
    AgreementState.DRAFT: frozenset({AgreementState.ACTIVE}),
    AgreementState.ACTIVE: frozenset(
        {AgreementState.SUSPENDED, AgreementState.TERMINATED, AgreementState.EXPIRED}
    ),
    AgreementState.SUSPENDED: frozenset({AgreementState.ACTIVE, AgreementState.TERMINATED}),
    AgreementState.TERMINATED: frozenset(),
    AgreementState.EXPIRED: frozenset(),
}


class Transition(Model):
    """One move of the state machine."""

    from_state: AgreementState
    to_state: AgreementState
    on: date
    reason: str = ""


class LicenceAgreement(Model):
    """A licence agreement's type, state and dated history.

    `terms_sha256` is the hash of the canonical terms (or offer) it was signed on, if known.
    """

    licence_type: LicenceType
    created_on: date
    state: AgreementState = AgreementState.DRAFT
    history: tuple[Transition, ...] = ()
    terms_sha256: str | None = None

    @property
    def last_moved_on(self) -> date:
        """The date of the latest move (the creation date before any move)."""
        return self.history[-1].on if self.history else self.created_on

    def move(self, to_state: AgreementState, *, on: date, reason: str = "") -> "LicenceAgreement":
        """Return the agreement after moving to `to_state` on `on`.

        Raises `IllegalTransition` for a move the state machine does not allow, or one dated
        before the previous move.
        """
        if to_state not in ALLOWED_MOVES[self.state]:
            raise IllegalTransition("$.state", f"cannot move from {self.state} to {to_state}")
        if on < self.last_moved_on:
            raise IllegalTransition(
                "$.on", f"{on} is before the previous move on {self.last_moved_on}"
            )
        step = Transition(from_state=self.state, to_state=to_state, on=on, reason=reason)
        return self.model_copy(update={"state": to_state, "history": (*self.history, step)})
