"""A scanner's line typed into the wrong field, told apart from the clerk's own typing.

A USB QR scanner is a keyboard (a "keyboard wedge"): it types the code's text into whatever
field has the keyboard focus, then presses Enter. The desk keeps the focus on its scan field,
but the clerk may be in another field (their ID, an image path) when the next resident's slip
or card is held under the scanner. That line must neither stay in the field (a slip's text as
the clerk's ID, a card's 12 digits written into the audit trail) nor be lost while the previous
application stays on screen (issue 12): it is taken out, the field gets back what it held
before the scanner's first character, and the line is read as a scan.

A line is the scanner's when, at the Enter:
- its speed says so: a scanner types a whole code at 1-4 ms a character and presses Enter at
  once; a person leaves 100 ms or more between keys (the fastest typists 60 ms at best). A run
  of at least MIN_BURST characters, each (and the Enter) arriving within BURST_GAP_S after the
  field had taken the one before, was typed by a scanner. The gap is counted from the end of
  the field's own work on the previous character, which grows with a long line;
- or its shape does, for a scanner set to type slowly (many let an inter-character delay be
  set) or a line the machine paused in: our slip's prefix ("KS1-", kiosk/desk/scan_input.py)
  in what was typed, or exactly 12 digits at its end (the back of a My Number card,
  common.mynumber.looks_like_card_qr). The line starts at the earlier of the two, so a slip
  whose run was broken by a pause is still taken whole.
The one miss left: a person who types 4 or more characters and Enter while the screen is frozen
(the keys are then delivered together); their text is read as a scan and refused in words, and
the field keeps what it had. Kivy-free, so it is tested without a window.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

from common.mynumber import looks_like_card_qr
from kiosk.desk.scan_input import OUR_PREFIX

BURST_GAP_S = 0.050  # a scanner: 1-4 ms a character (and a frame drawn); a person: 100 ms
MIN_BURST = 4  # fewer characters is no QR code the desk reads (and a key pair a fast typist rolls)
CARD_DIGITS = 12


@dataclass(frozen=True)
class _Typed:
    at: float  # when it arrived
    end: float  # when the field had taken it
    text: str
    before: str  # the field's text before this was inserted
    cursor: int  # where it was inserted


@dataclass(frozen=True)
class Taken:
    """The scanner's line, and the field as it was before its first character."""

    line: str
    restore: str
    cursor: int


class WedgeWatch:
    """Notes what is typed into one field; at its Enter, says whether a scanner typed it."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._typed: list[_Typed] = []

    def reset(self) -> None:
        """The field gained or lost the focus: what comes next is a new line."""
        self._typed = []

    def typed(self, text: str, *, before: str, cursor: int) -> None:
        """`text` arrives, to be inserted at `cursor` into `before` (call `taken` after)."""
        if text:
            now = self._clock()
            self._typed.append(_Typed(now, now, text, before, cursor))

    def taken(self) -> None:
        """The field has inserted the last text (its own time does not count as a gap)."""
        if self._typed:
            self._typed[-1] = replace(self._typed[-1], end=self._clock())

    def entered(self) -> Taken | None:
        """Enter was pressed: the scanner's line to take out of the field, or None (a person)."""
        typed, self._typed = self._typed, []
        if not typed:
            return None
        starts = [_burst_start(typed, self._clock()),
                  _shape_start("".join(t.text for t in typed))]
        found = [start for start in starts if start is not None]
        return _taken(typed, min(found)) if found else None


def _burst_start(typed: list[_Typed], enter_at: float) -> int | None:
    """Where the run of fast characters that ends at the Enter starts (a character offset)."""
    if enter_at - typed[-1].end > BURST_GAP_S:
        return None
    first = len(typed) - 1
    while first > 0 and typed[first].at - typed[first - 1].end <= BURST_GAP_S:
        first -= 1
    chars = sum(len(t.text) for t in typed[first:])
    if chars < MIN_BURST:
        return None
    return sum(len(t.text) for t in typed[:first])


def _shape_start(text: str) -> int | None:
    """Where our slip's prefix, or a card's 12 digits ending the line, start (an offset)."""
    # Folded a character at a time, so offsets stay those of `text` (full width K -> K).
    folded = "".join((unicodedata.normalize("NFKC", c)[:1] or c).upper() for c in text)
    prefix = OUR_PREFIX.search(folded)  # the first: a slip's Base45 may hold "KS1-" again
    if prefix:
        return prefix.start()
    tail = folded[-CARD_DIGITS:]
    before = folded[-CARD_DIGITS - 1:-CARD_DIGITS]
    if looks_like_card_qr(tail) and not (before.isascii() and before.isdigit()):
        return len(text) - CARD_DIGITS
    return None


def _taken(typed: list[_Typed], start: int) -> Taken:
    """The line from offset `start`; the field as it was just before that character came."""
    offset = 0
    for piece in typed:
        if offset + len(piece.text) > start:
            head = piece.text[:start - offset]  # a person's part of a pasted piece, kept
            restore = piece.before[:piece.cursor] + head + piece.before[piece.cursor:]
            line = "".join(t.text for t in typed)[start:]
            return Taken(line, restore, piece.cursor + len(head))
        offset += len(piece.text)
    raise ValueError("start is past what was typed")
