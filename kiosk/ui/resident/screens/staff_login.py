"""The clerk's sign-in: their own staff ID, then their own kiosk PIN (issue 16: access by
person, so the audit trail says who took over). It does not look like the resident's card
PIN screen (a band that says it is for staff, the PIN typed in one line, no four boxes), and
is reached only from the staff screen's 「職員の方」 button. Left alone it goes back to the
start (Session.tick, STAFF_LOGIN_IDLE_S).

The ID is typed on letters and digits of its own (a staff id is `k.tanaka`, `clerk-007`:
the store's STAFF_ID, case as registered), the PIN on the digit pad. Both live here until
OK, the PIN masked; neither is logged, and both are forgotten when the screen is left.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from kivy.properties import ColorProperty, NumericProperty

from kiosk.ui.i18n import N_
from kiosk.ui.resident.inputs.keypad import CLEAR, DELETE, PinPad, add_keys, edit_digits
from kiosk.ui.resident.kit import UiKit
from kiosk.ui.resident.messages import message_text
from kiosk.ui.resident.screens.base import KioskScreen, Primary

STAFF_PIN_MAX = 8
STAFF_ID_MAX = 64  # kiosk/store/records.py STAFF_ID
ID_STEP, PIN_STEP = "id", "pin"
# The characters of a staff id, digits first as on a keyboard, with the marks ids carry.
ID_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl@", "zxcvbnm.-_")
SHIFT = "shift"
ID_KEYS_WIDTH, PIN_KEYS_WIDTH = 760, 520


class StaffLoginScreen(KioskScreen):
    band_color = ColorProperty((0.0, 0.0, 0.0, 1.0))
    keys_width = NumericProperty(ID_KEYS_WIDTH)
    key_height = NumericProperty(68)

    def __init__(self, **kwargs: Any) -> None:
        self._step = ID_STEP
        self._staff_id = ""
        self._digits = ""
        self._capitals = False
        self._built: tuple[str, bool] | None = None  # language and case the keys show
        super().__init__(**kwargs)
        # Held here, not only in `ids` (weak proxies): each step takes the other's place.
        self._id_keys = self.ids.id_keys.__self__
        self._pad = PinPad()

    def title(self) -> str:
        return self.ui.tr("Staff only")

    def refresh(self) -> None:
        ui, session = self.ui, self.session
        # The band's text is in the bars' colour: on the staff colour in normal colours, on
        # black in high contrast (where the staff colour is the bars' yellow itself).
        self.band_color = ui.theme.color("bar" if ui.theme.contrast else "staff")
        self._build_keys()
        self._place_keys()
        pin = self._step == PIN_STEP
        ui.set_text(self.ids.band, ui.tr("For staff only"))
        ui.set_text(self.ids.headline, ui.tr("Staff PIN") if pin else ui.tr("Staff ID"))
        ui.set_text(self.ids.who, ui.tr("Staff ID: {staff_id}", staff_id=self._staff_id)
                    if pin else "")
        ui.set_text(self.ids.message, message_text(session.message, ui.tr))
        ui.set_text(self.ids.detail, ui.tr(
            "Residents: please touch 'Back'. This is not your card's PIN."))
        change = self.ids.change
        change.clear_widgets()
        if pin:
            change.add_widget(ui.button(ui.tr("Enter the staff ID again"), kid="staff:change_id",
                                        on_release=self._change_id))
        self._show()

    def themed(self, ui: UiKit) -> None:
        """Keys never under the theme's 15 mm, taller with large text."""
        self.key_height = max(68, ui.theme.key_height("key_fn"))

    # ----------------------------------------------------------------- keys
    def _build_keys(self) -> None:
        ui = self.ui
        if self._built == (ui.lang, self._capitals):
            return
        if self._built is None or self._built[0] != ui.lang:
            self._pad.clear_widgets()
            add_keys(self._pad, ui, "staffpin", self.press, bottom_left=CLEAR)
        self._built = (ui.lang, self._capitals)
        board, functions = self.ids.id_board, self.ids.id_functions
        board.clear_widgets()
        for char in "".join(ID_ROWS):
            shown = char.upper() if self._capitals else char
            board.add_widget(ui.key(shown, kid=f"staffid:{shown}",
                                    on_release=partial(self.type_id, shown)))
        functions.clear_widgets()
        for key, label in ((SHIFT, "abc" if self._capitals else "ABC"),
                           (DELETE, ui.tr("Delete")), (CLEAR, ui.tr("Clear"))):
            functions.add_widget(ui.key(label, kid=f"staffid:{key}", role="key_fn",
                                        on_release=partial(self.type_id, key)))

    def _place_keys(self) -> None:
        wanted = self._pad if self._step == PIN_STEP else self._id_keys
        keys = self.ids.key_area
        if wanted.parent is not keys:
            keys.clear_widgets()
            keys.add_widget(wanted)
        self.keys_width = PIN_KEYS_WIDTH if self._step == PIN_STEP else ID_KEYS_WIDTH

    def type_id(self, key: str) -> None:
        if key == SHIFT:
            self._capitals = not self._capitals
            self.actions.show()
            return
        self._staff_id = edit_digits(self._staff_id, key, STAFF_ID_MAX)
        self._show()

    def press(self, key: str) -> None:
        self._digits = edit_digits(self._digits, key, STAFF_PIN_MAX)
        self._show()

    def _show(self) -> None:
        shown = ("＊" * len(self._digits)) if self._step == PIN_STEP else self._staff_id
        self.ui.set_text(self.ids.entered, shown or "－")

    # ----------------------------------------------------------------- steps
    def primary(self) -> Primary | None:
        if self._step == ID_STEP:
            return Primary("staff:next", self.ui.tr("Next"), self._to_pin)
        return Primary("staff:ok", "OK", self._login)

    def _to_pin(self) -> None:
        if not self._staff_id:
            return
        self._step, self._digits = PIN_STEP, ""
        self.session.message = None
        self.actions.show()

    def _change_id(self) -> None:
        self._step, self._digits = ID_STEP, ""
        self.session.message = None
        self.actions.show()

    def _login(self) -> None:
        """The store checks the PIN's hash (a moment's work, on the worker); a refusal keeps
        the ID and asks for the PIN again."""
        pin, self._digits = self._digits, ""
        self.actions.run_blocking(self.session.staff_login, self._staff_id, pin,
                                  progress=N_("Checking…"))

    def on_hidden(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._step, self._staff_id, self._digits, self._capitals = ID_STEP, "", "", False
        self._show()
