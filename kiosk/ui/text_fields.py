"""Emptying a text field so that nothing it held comes back (issue 15).

Kivy's TextInput keeps each edit in an undo and a redo list, and setting `text` leaves both as
they were: after `field.text = ""` the next person's ctrl+z and ctrl+r (do_undo, do_redo) put
back what the last one typed there (a resident's slip line, a PIN, a name typed at the kiosk).
Every place that empties a field on the clerk's and the resident's screens goes through
`forget_text`. Kivy is not imported here: the field is any TextInput.
"""

from __future__ import annotations

from typing import Protocol


class TextField(Protocol):
    """What `forget_text` uses of a Kivy TextInput."""

    text: str

    def cancel_selection(self) -> None: ...

    def reset_undo(self) -> None: ...


def forget_text(field: TextField, text: str = "") -> None:
    """Give `field` the text `text` (empty by default) and no history: no undo or redo step
    and no selection reaches what it held before."""
    field.cancel_selection()
    field.text = text
    field.reset_undo()
