"""Why a status change is refused, by code: the store's reading of the one transition table
(kiosk.application.NEXT_STATUS). The desk shows these codes' texts; nothing is changed."""

from __future__ import annotations

from kiosk.application import Status, may_move
from kiosk.store.errors import (
    AlreadyCancelledError,
    AlreadyCompletedError,
    AlreadyReceivedError,
    NotReceivedError,
    StatusError,
)


def check_transition(old: str, new: str) -> None:
    """Raise the StatusError that says why `old -> new` is not allowed (or return).

    The final states answer for themselves (already_completed, already_cancelled) whatever was
    asked; receiving twice and completing what was never received have their own words; any
    other move the table lacks (back to issued, say) is invalid_transition.
    """
    if may_move(old, new):
        return
    if old == Status.COMPLETED:
        raise AlreadyCompletedError()
    if old == Status.CANCELLED:
        raise AlreadyCancelledError()
    if old == new == Status.RECEIVED:
        raise AlreadyReceivedError()
    if old == Status.ISSUED and new == Status.COMPLETED:
        raise NotReceivedError()
    raise StatusError(f"{old}->{new}")
