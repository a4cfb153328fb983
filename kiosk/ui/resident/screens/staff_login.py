"""The clerk's sign-in: the staff PIN on a screen that does not look like the resident's
card PIN (a band that says it is for staff, the digits typed in one line, no four boxes),
reached only from the staff screen's 「職員の方」 button. Left alone it goes back to the
start (Session.tick, STAFF_LOGIN_IDLE_S). The digits live here until OK and are never
shown or logged."""

from __future__ import annotations

from typing import Any

from kivy.properties import ColorProperty

from kiosk.ui.resident.inputs.keypad import CLEAR, add_keys, edit_digits
from kiosk.ui.resident.messages import message_text
from kiosk.ui.resident.screens.base import KioskScreen, Primary

STAFF_PIN_MAX = 8


class StaffLoginScreen(KioskScreen):
    band_color = ColorProperty((0.0, 0.0, 0.0, 1.0))

    def __init__(self, **kwargs: Any) -> None:
        self._digits = ""
        self._keys_lang = ""
        super().__init__(**kwargs)

    def title(self) -> str:
        return self.ui.tr("Staff only")

    def refresh(self) -> None:
        ui, session = self.ui, self.session
        # The band's text is in the bars' colour: on the staff colour in normal colours, on
        # black in high contrast (where the staff colour is the bars' yellow itself).
        self.band_color = ui.theme.color("bar" if ui.theme.contrast else "staff")
        if self._keys_lang != ui.lang:
            self._keys_lang = ui.lang
            self.ids.pad.clear_widgets()
            add_keys(self.ids.pad, ui, "staffpin", self.press, bottom_left=CLEAR)
        ui.set_text(self.ids.band, ui.tr("For staff only"))
        ui.set_text(self.ids.headline, ui.tr("Staff PIN"))
        ui.set_text(self.ids.detail, ui.tr(
            "Residents: please touch 'Back'. This is not your card's PIN."))
        ui.set_text(self.ids.message, message_text(session.message, ui.tr))
        self._show()

    def press(self, key: str) -> None:
        self._digits = edit_digits(self._digits, key, STAFF_PIN_MAX)
        self._show()

    def _show(self) -> None:
        self.ui.set_text(self.ids.entered, "＊" * len(self._digits) or "－")

    def primary(self) -> Primary | None:
        return Primary("staff:ok", "OK", self._login)

    def _login(self) -> None:
        pin, self._digits = self._digits, ""
        self.actions.act(self.session.staff_login, pin)

    def on_hidden(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._digits = ""
        self._show()
