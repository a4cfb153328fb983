"""Call staff: tells the resident help is coming. No PIN pad here: the clerk signs in on a
screen of its own (staff_login.py), so the resident waiting never faces a second PIN pad
that looks like the card's. In staff mode it is the staff menu: go on, end the session,
close the kiosk (asked twice; an administrator only: anyone else is told so, and the refusal
is recorded; Escape and the window's close button obey the same rule)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.ui.resident.messages import message_text
from kiosk.ui.resident.screens.base import KioskScreen
from kiosk.ui.resident.widgets import Spacer

# What the staff menu shows: its three ways, or the question before the kiosk closes.
MENU, QUIT = "menu", "quit"


class StaffScreen(KioskScreen):
    def __init__(self, *, quit_kiosk: Callable[[], None], **kwargs: Any) -> None:
        self.quit_kiosk = quit_kiosk
        self._step = MENU
        super().__init__(**kwargs)

    def title(self) -> str:
        return self.ui.tr("Staff")

    def refresh(self) -> None:
        ui, session = self.ui, self.session
        staff = session.staff_mode
        menu = self.ids.menu
        menu.clear_widgets()
        menu.add_widget(Spacer())
        if staff:
            self._menu()
        else:
            self._step = MENU
            menu.add_widget(ui.button(ui.tr("Staff sign-in"), kid="staff:login",
                                      role="secondary", on_release=self._login))
        menu.add_widget(Spacer())
        if staff and self._step == QUIT:
            headline = ui.tr("Close the kiosk? Residents cannot use it until it is started "
                             "again.")
        elif staff:
            headline = ui.tr("Staff menu")
        else:
            headline = ui.tr("A staff member is on the way. Please wait a moment.")
        ui.set_text(self.ids.headline, headline)
        if staff:
            detail = message_text(session.message, ui.tr) or ui.tr(
                "Staff ID: {staff_id}", staff_id=session.staff_id or "")
        else:
            detail = ui.tr("Your answers are kept. You can also touch 'Back' to go on by "
                           "yourself.")
        ui.set_text(self.ids.detail, detail)

    def _menu(self) -> None:
        ui, menu = self.ui, self.ids.menu
        ways: tuple[tuple[str, str, Callable[[], None], str], ...]
        if self._step == QUIT:
            ways = (("staff:quit_confirm", ui.tr("Yes, close the kiosk"), self._quit, "staff"),
                    ("staff:quit_cancel", ui.tr("No, keep it running"),
                     lambda: self._go(MENU), "primary"))
        else:
            ways = (("staff:resume", ui.tr("Continue this application"),
                     lambda: self.actions.act(self.session.back), "primary"),
                    ("staff:end", ui.tr("End this session (erase everything)"),
                     lambda: self.actions.act(self.session.finish), "secondary"),
                    ("staff:quit", ui.tr("Close the kiosk"), self._ask_close, "secondary"))
        for kid, text, action, role in ways:
            menu.add_widget(ui.button(text, kid=kid, role=role, on_release=action))

    def _go(self, step: str) -> None:
        self._step = step
        self.actions.show()

    def _ask_close(self) -> None:
        """An administrator is asked to confirm; anyone else reads why not, on the menu."""
        self._go(QUIT if self.session.may_close_kiosk() else MENU)

    def _quit(self) -> None:
        self._go(MENU)
        if self.session.may_close_kiosk():
            self.quit_kiosk()

    def _login(self) -> None:
        self.actions.act(self.session.open_staff_login)

    def on_hidden(self) -> None:
        self._step = MENU

    def clear(self) -> None:
        self._step = MENU
        self.ids.menu.clear_widgets()
