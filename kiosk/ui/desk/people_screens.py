"""Who is at the desk: the sign-in view the screen opens on, and the lock view of the idle lock.

A staff ID alone opens nothing (issue 16): the person signs in with their own ID and password
(`Desk.sign_in`, counted towards the account's lockout), and after `[desk] idle_lock_min`
untouched the desk locks (kiosk/ui/desk/shell.py) and only the same person's password
(`Desk.unlock`) or a sign-out goes on from here.

The password is taken out of its field the moment it is read (`forget_text`: no undo brings it
back), whatever the store answers. The fields are `WatchedInput`s, as the desk's other fields
are: a slip scanned into one is taken out at its Enter and never sent as an ID or a password
(it would count as a wrong try and could lock the account).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from kivy.clock import Clock
from kivy.properties import ColorProperty
from kivy.uix.screenmanager import Screen

from kiosk.desk.access import ROLE_NAMES, SignedOut
from kiosk.desk.errors import DeskError
from kiosk.desk.service import Desk
from kiosk.ui.glyphs import Glyphs
from kiosk.ui.i18n import Translator, native_name
from kiosk.ui.text_fields import forget_text

log = logging.getLogger("kiosk.desk.screen")

COLORS = {"error": (0.98, 0.82, 0.82, 1), "info": (0.96, 0.95, 0.93, 1)}


def person_words(desk: Desk, tr: Translator) -> str:
    """「職員 clerk-007・監督者（係長など）」: the ID and role of whoever is signed in."""
    if not desk.clerk:
        return ""
    role_ja, role_en = ROLE_NAMES[desk.role]
    return tr("Staff {staff_id} · {role}", staff_id=desk.clerk,
              role=role_ja if tr.lang == "ja" else role_en)


class PeopleScreen(Screen):  # type: ignore[misc]  # Kivy is untyped
    """What the sign-in and lock views share: words, the message, the password, a scan typed
    into a field by mistake."""

    message_bg = ColorProperty(COLORS["info"])

    def __init__(self, *, desk: Desk, glyphs: Glyphs, tr: Translator, languages: Sequence[str],
                 switch_language: Callable[[], None], **kwargs: Any) -> None:
        self.desk, self.glyphs, self.tr = desk, glyphs, tr
        self.languages = tuple(languages)
        self.switch_language = switch_language
        self.message_plain = ""
        self._said: tuple[str, Callable[[], str]] = ("info", str)
        super().__init__(**kwargs)

    def m(self, text: str, *, bold: bool = False) -> str:
        return self.glyphs.markup(text, bold=bold)

    def refresh_texts(self) -> None:
        self.ids.lang.text = native_name(self.next_language())
        self.ids.password_label.text = self.tr("Password")
        self.say(*self._said)  # the message too, in the new language

    def next_language(self) -> str:
        at = self.languages.index(self.tr.lang) if self.tr.lang in self.languages else -1
        return self.languages[(at + 1) % len(self.languages)]

    def on_pre_enter(self, *_args: Any) -> None:
        self.refresh_texts()

    def on_enter(self, *_args: Any) -> None:
        Clock.schedule_once(lambda _dt: setattr(self.first_field(), "focus", True), 0)

    def first_field(self) -> Any:
        return self.ids.password

    def say(self, kind: str, text: Callable[[], str]) -> None:
        """`text` words the message now and again after a language switch."""
        self._said = (kind, text)
        self.message_plain = text()
        self.message_bg = COLORS[kind]
        self.ids.message.text = self.m(self.message_plain)

    def failed(self, exc: DeskError) -> None:
        """sign_in_failed, account_locked ...: the words for the person, the code for the log."""
        log.info("desk screen: %s", exc.code)
        self.say("error", lambda: exc.message_ja if self.tr.lang == "ja" else exc.message_en)
        self.on_enter()

    def scanned_into(self, field: Any) -> bool:
        """A scanner's line typed into `field`: taken out (the field gets back what it held)
        and refused in words, never read as an ID or a password."""
        taken = field.watch.entered()
        if taken is None:
            return False
        forget_text(field, taken.restore)
        field.cursor = field.get_cursor_from_index(taken.cursor)
        log.info("desk screen: a scanned line in a sign-in field, not used")
        refusal = SignedOut()
        self.say("error", lambda: refusal.message_ja if self.tr.lang == "ja"
                 else refusal.message_en)
        return True

    def take_password(self) -> str:
        password = str(self.ids.password.text)
        forget_text(self.ids.password)  # emptied now, whatever the store says
        return password

    def forget(self) -> None:
        """Empty the fields and the message (idle, sign-out): nothing typed stays."""
        for field in self.fields():
            forget_text(field)
        self.say("info", str)

    def fields(self) -> list[Any]:
        return [self.ids.password]


class SignInScreen(PeopleScreen):
    """The view the desk opens on and returns to after a sign-out."""

    def __init__(self, *, sign_in: Callable[[str, str], None], **kwargs: Any) -> None:
        self.sign_in = sign_in
        super().__init__(**kwargs)

    def refresh_texts(self) -> None:
        ids, tr = self.ids, self.tr
        ids.app_title.text = self.m(tr("Counter desk: slip check-in"), bold=True)
        ids.office.text = self.m(f"{self.desk.office_name}（{self.desk.office_code}）")
        ids.heading.text = self.m(tr("Sign in"), bold=True)
        ids.explain.text = self.m(tr("Sign in with your own staff ID and password. "
                                     "A staff ID alone opens nothing."))
        ids.staff_id_label.text = tr("Staff ID")
        ids.go.text = tr("Sign in")
        super().refresh_texts()

    def first_field(self) -> Any:
        return self.ids.password if self.ids.staff_id.text.strip() else self.ids.staff_id

    def fields(self) -> list[Any]:
        return [self.ids.staff_id, self.ids.password]

    def entered(self, field: Any) -> None:
        """Enter in the ID goes on to the password; Enter in the password signs in."""
        if self.scanned_into(field):
            return
        if field is self.ids.staff_id:
            self.ids.password.focus = True
        else:
            self.go()

    def go(self) -> None:
        staff_id, password = self.ids.staff_id.text.strip(), self.take_password()
        if not staff_id or not password:  # nothing to ask the store: no try is counted
            self.say("error", lambda: self.tr("Type your staff ID and your password."))
            self.on_enter()
            return
        self.say("info", lambda: self.tr("Signing in…"))
        self.sign_in(staff_id, password)


class LockScreen(PeopleScreen):
    """The idle lock: the desk hides everything and waits for the same person's password."""

    def __init__(self, *, unlock: Callable[[str], None], sign_out: Callable[[], None],
                 **kwargs: Any) -> None:
        self.unlock, self.sign_out = unlock, sign_out
        super().__init__(**kwargs)

    def refresh_texts(self) -> None:
        ids, tr = self.ids, self.tr
        ids.heading.text = self.m(tr("The desk is locked"), bold=True)
        ids.person.text = self.m(person_words(self.desk, tr))
        ids.explain.text = self.m(tr("Nothing was used for a while, so the resident's "
                                     "application is hidden. Type your password to go on, "
                                     "or sign out."))
        ids.go.text, ids.sign_out.text = tr("Unlock"), tr("Sign out")
        super().refresh_texts()

    def entered(self, field: Any) -> None:
        if not self.scanned_into(field):
            self.go()

    def go(self) -> None:
        password = self.take_password()
        if not password:
            self.say("error", lambda: self.tr("Type your password."))
            self.on_enter()
            return
        self.say("info", lambda: self.tr("Checking…"))
        self.unlock(password)
