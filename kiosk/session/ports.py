"""What the session needs from the outside, as narrow protocols the wiring fills in.

The card reader and the submit path block (USB, database, printer), so the UI calls them
off its own thread; the session only sees their results.
"""

from __future__ import annotations

from typing import Protocol

from kiosk.application import Receipt, Submission
from kiosk.session.identity import Identity


class CardPort(Protocol):
    def tries_left(self) -> int:
        """PIN tries left, spending none. Raises a drivers.card error when no card is usable."""

    def read_identity(self, pin: str) -> Identity:
        """Verify the PIN and read the basic four items. Raises WrongPinError(tries_left) etc."""


class StaffBell(Protocol):
    def ring(self, *, screen: str) -> None:
        """Tell the floor staff this kiosk needs them (and on which screen); never blocks."""


class SubmitPort(Protocol):
    def submit(self, submission: Submission) -> Receipt:
        """Store the application (must not fail silently), then print the slip (may fail)."""

    def print_paper_form(self, form_id: str, lang: str) -> bool:
        """Print the assisted-entry paper form; False when the printer failed."""
