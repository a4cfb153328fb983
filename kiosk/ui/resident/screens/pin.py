"""The card PIN: 4 digits, masked, sent on the 4th digit (no OK to find). It is the
券面事項入力補助用 PIN, the one the card checks before it gives the basic four items.

The digits live in this screen only until they are handed to the worker thread, and are
cleared at once; they are never logged or shown.
"""

from __future__ import annotations

from typing import Any

from kiosk.ui.i18n import N_
from kiosk.ui.resident.inputs.keypad import CLEAR, DELETE, add_keys, edit_digits
from kiosk.ui.resident.kit import UiKit
from kiosk.ui.resident.messages import message_text
from kiosk.ui.resident.screens.base import KioskScreen

PIN_LENGTH = 4


class PinScreen(KioskScreen):
    def __init__(self, **kwargs: Any) -> None:
        self._digits = ""
        self._keys_lang = ""
        super().__init__(**kwargs)

    def title(self) -> str:
        return self.ui.tr("PIN of your My Number card")

    def refresh(self) -> None:
        ui, session = self.ui, self.session
        if self._keys_lang != ui.lang:
            self._keys_lang = ui.lang
            self.ids.pad.clear_widgets()
            add_keys(self.ids.pad, ui, "pin", self.press)
        # The card checks the PIN for filling in its details (券面事項入力補助用), not the
        # one of the user certificate: name the one it checks.
        ui.set_text(self.ids.instruction, ui.tr(
            "Enter the 4-digit PIN for filling in the card's details (券面事項入力補助用)"))
        ui.set_text(self.ids.same, ui.tr(
            "Most people set it to the same 4 digits as the PIN of the user certificate "
            "(利用者証明用)."))
        tries = session.tries_left
        ui.set_text(self.ids.tries, "" if tries is None else ui.tr(
            "Tries left before the card locks: {n}", n=tries))
        ui.set_text(self.ids.message, message_text(session.message, ui.tr))
        if session.message and self.ids.area.view is not None:
            self.ids.area.view.scroll_y = 1  # the message, under the instruction, in sight
        ui.set_text(self.ids.hint, ui.tr(
            "Forgotten the PIN? Touch 'Back' and choose to enter your details by touch."))
        self._show_boxes()

    def themed(self, ui: UiKit) -> None:
        """With large text the keypad gives up some width (its keys stay well over 15 mm),
        so the instruction takes fewer lines and the tries left stay in sight."""
        narrow = ui.theme.large
        self.ids.pad_column.width = 420 if narrow else 520
        self.ids.pad.width = 400 if narrow else 500

    def press(self, key: str) -> None:
        self._digits = edit_digits(self._digits, key, PIN_LENGTH)
        if key not in (CLEAR, DELETE) and self.session.message:
            self.session.message = None
            self.ui.set_text(self.ids.message, "")
        self._show_boxes()
        if len(self._digits) == PIN_LENGTH:
            pin, self._digits = self._digits, ""
            self.actions.run_blocking(self.session.enter_pin, pin, progress=N_("Reading your card…"))

    def _show_boxes(self) -> None:
        boxes = self.ids.boxes
        if not boxes.children:
            for _ in range(PIN_LENGTH):
                boxes.add_widget(self.ui.key("", kid="pin:box", role="choice",
                                             on_release=lambda: None))
        for index, box in enumerate(reversed(boxes.children)):
            self.ui.set_text(box, "●" if index < len(self._digits) else "")
            box.selected = index == len(self._digits)

    def clear(self) -> None:
        self._digits = ""
        self._show_boxes()
