"""What the session needs from the outside, as narrow protocols the wiring fills in.

The card reader and the submit path block (USB, database, printer), so the UI calls them
off its own thread; the session only sees their results. The card port speaks in the
session's own words (`CardProblem`, `CardUnusable`, `WrongPin`): the adapter over the real
driver (kiosk/card_port.py) maps the driver's errors, so the session imports nothing of it.
The staff check is the same: the store's accounts behind it (kiosk/staff_check.py), the
session's own `StaffRefused` and `StaffLocked` in front, and no PIN ever held here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from kiosk.application import Receipt, Submission
from kiosk.session.identity import Identity


class CardProblem(StrEnum):
    """Why the card cannot be used now; each has its own words on the card-problem screen."""

    NO_READER = "no_reader"
    NO_CARD = "no_card"
    NOT_MY_NUMBER_CARD = "not_my_number_card"
    REMOVED = "removed"
    LAST_TRY = "last_try"
    BLOCKED = "blocked"
    UNREADABLE = "unreadable"

    @property
    def card_may_work(self) -> bool:
        """Whether trying the card again can help; a PIN problem needs the city office."""
        return self not in (CardProblem.LAST_TRY, CardProblem.BLOCKED)

    @property
    def card_absent(self) -> bool:
        """Nothing usable lies on a reader yet: the identify screen keeps waiting."""
        return self in (CardProblem.NO_CARD, CardProblem.NO_READER)


class CardUnusable(Exception):
    """The card cannot be used for this step; `problem` says why. Holds no personal data."""

    def __init__(self, problem: CardProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


class WrongPin(Exception):
    """The card refused the PIN and counted the try; `tries_left` is what remains."""

    def __init__(self, tries_left: int) -> None:
        super().__init__(f"wrong PIN, {tries_left} tries left")
        self.tries_left = tries_left


class CardPort(Protocol):
    def tries_left(self) -> int:
        """PIN tries left (0: blocked), spending none. Raises CardUnusable."""

    def read_identity(self, pin: str) -> Identity:
        """Verify the PIN and read the basic four items. Raises WrongPin or CardUnusable."""


class StaffBell(Protocol):
    def ring(self, *, screen: str) -> None:
        """Tell the floor staff this kiosk needs them (and on which screen); never blocks."""


class SubmitPort(Protocol):
    def submit(self, submission: Submission) -> Receipt:
        """Store the application (must not fail silently), then print the slip (may fail)."""

    def print_paper_forms(self, form_ids: Sequence[str], lang: str, *,
                          ticket: str | None = None) -> Receipt:
        """Draw the resident's ticket (must not fail silently), then print the assisted-entry
        paper form of each procedure with it (may fail: `printed` False, the ticket kept).
        `ticket`: one already drawn for this resident, printed again rather than a second."""


@dataclass(frozen=True)
class StaffOnDuty:
    """Who signed in at the kiosk, for this session only; `role`: clerk, supervisor or admin."""

    staff_id: str
    role: str


class StaffRefused(Exception):
    """The staff id or the PIN is not right (one answer for both: trying ids tells nothing)."""


class StaffLocked(Exception):
    """Too many wrong tries: the account is locked for a while, even with the right PIN."""


class StaffCheck(Protocol):
    def sign_in(self, staff_id: str, pin: str) -> StaffOnDuty:
        """The account, once its kiosk PIN is right; StaffRefused or StaffLocked. Recorded
        in the audit trail either way (by the store)."""

    def note_refusal(self, staff_id: str, what: str) -> None:
        """Record that the signed-in person asked for `what` ("close_kiosk") and was refused."""
