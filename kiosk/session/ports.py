"""What the session needs from the outside, as narrow protocols the wiring fills in.

The card reader and the submit path block (USB, database, printer), so the UI calls them
off its own thread; the session only sees their results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from kiosk.session.identity import Identity


class CardPort(Protocol):
    def tries_left(self) -> int:
        """PIN tries left, spending none. Raises a drivers.card error when no card is usable."""

    def read_identity(self, pin: str) -> Identity:
        """Verify the PIN and read the basic four items. Raises WrongPinError(tries_left) etc."""


@dataclass(frozen=True)
class ProcedureAnswers:
    form_id: str
    form_version: int
    values: dict[str, Any]
    # path -> marks for the clerk: "from_card", "corrected", "undecodable", "manual"
    flags: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Submission:
    """What the kiosk hands over: stored first, then printed on the slip."""

    procedures: tuple[ProcedureAnswers, ...]
    identity_source: Literal["card", "manual", "staff"]
    staff_assisted: bool
    lang: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Receipt:
    ticket: str
    counter: str  # where to go first: the key of the first procedure's counter
    printed: bool
    print_error: str | None = None
    then: tuple[str, ...] = ()  # the other procedures' counters, in order


class StaffBell(Protocol):
    def ring(self, *, screen: str) -> None:
        """Tell the floor staff this kiosk needs them (and on which screen); never blocks."""


class SubmitPort(Protocol):
    def submit(self, submission: Submission) -> Receipt:
        """Store the application (must not fail silently), then print the slip (may fail)."""

    def print_paper_form(self, form_id: str, lang: str) -> bool:
        """Print the assisted-entry paper form; False when the printer failed."""
