"""Call staff: tells the resident help is coming, and lets the clerk take over with the
staff PIN. In staff mode it is the staff menu: go on, end the session, close the kiosk
(the only way to close it: Escape and the window's close button do nothing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.ui.resident.inputs.keypad import CLEAR, add_keys, edit_digits
from kiosk.ui.resident.messages import message_text
from kiosk.ui.resident.screens.base import KioskScreen, Primary
from kiosk.ui.resident.widgets import Spacer

STAFF_PIN_MAX = 8


class StaffScreen(KioskScreen):
    def __init__(self, *, quit_kiosk: Callable[[], None], **kwargs: Any) -> None:
        self.quit_kiosk = quit_kiosk
        self._digits = ""
        self._keys_lang = ""
        super().__init__(**kwargs)

    def title(self) -> str:
        return self.ui.tr("Staff")

    def refresh(self) -> None:
        ui, session = self.ui, self.session
        staff = session.staff_mode
        self.ids.right.width = 0 if staff else 520
        self.ids.right.opacity = 0 if staff else 1
        self.ids.right.disabled = staff
        self.ids.menu.width = 0 if not staff else 520
        if staff:
            self._menu()
        else:
            self.ids.menu.clear_widgets()
            if self._keys_lang != ui.lang:
                self._keys_lang = ui.lang
                self.ids.pad.clear_widgets()
                add_keys(self.ids.pad, ui, "staffpin", self.press, bottom_left=CLEAR)
        ui.set_text(self.ids.headline, ui.tr("Staff menu") if staff else ui.tr(
            "A staff member is on the way. Please wait a moment."))
        ui.set_text(self.ids.detail, "" if staff else ui.tr(
            "Staff: enter your staff PIN and touch OK to help with this application."))
        ui.set_text(self.ids.message, message_text(session.message, ui.tr))
        self._show()

    def _menu(self) -> None:
        ui, menu = self.ui, self.ids.menu
        menu.clear_widgets()
        menu.add_widget(Spacer())
        for kid, text, action, role in (
                ("staff:resume", ui.tr("Continue this application"),
                 lambda: self.actions.act(self.session.back), "primary"),
                ("staff:end", ui.tr("End this session (erase everything)"),
                 lambda: self.actions.act(self.session.finish), "secondary"),
                ("staff:quit", ui.tr("Close the kiosk"), self.quit_kiosk, "secondary")):
            menu.add_widget(ui.button(text, kid=kid, role=role, on_release=action))
        menu.add_widget(Spacer())

    def press(self, key: str) -> None:
        self._digits = edit_digits(self._digits, key, STAFF_PIN_MAX)
        self._show()

    def _show(self) -> None:
        self.ui.set_text(self.ids.entered, "●" * len(self._digits))

    def primary(self) -> Primary | None:
        if self.session.staff_mode:
            return None
        return Primary("staff:ok", "OK", self._login)

    def _login(self) -> None:
        pin, self._digits = self._digits, ""
        self.actions.act(self.session.staff_login, pin)

    def clear(self) -> None:
        self._digits = ""
        self._show()

