"""The My Number step at the counter: card on the reader, PIN typed by the resident, the number
read and printed on the official form, then forgotten.

The number never reaches this screen: the worker reads it and hands it straight to
`Desk.print_form`, which prints it and empties the holder; the screen sees only the print's
result or the card's error (wrong_pin with the tries left, last_pin_try, no_card ...). The PIN
field is emptied as soon as it is read, whatever happens next.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.properties import ColorProperty
from kivy.uix.screenmanager import Screen

from drivers.card.errors import CardError
from kiosk.desk.card import MyNumberReader
from kiosk.desk.errors import DeskError, desk_error
from kiosk.desk.service import Desk, PrintResult
from kiosk.ui.desk.worker import Worker
from kiosk.ui.glyphs import Glyphs
from kiosk.ui.i18n import N_, Translator
from kiosk.ui.text_fields import forget_text

log = logging.getLogger("kiosk.desk.screen")

COLORS = {"error": (0.98, 0.82, 0.82, 1), "info": (0.96, 0.95, 0.93, 1)}
STEPS = (N_("1. The resident places the My Number card on the counter's reader."),
         N_("2. The resident types the 4-digit PIN."),
         N_("3. 'Read and print' prints the number on the form."))


class MyNumberScreen(Screen):  # type: ignore[misc]  # Kivy is untyped
    message_bg = ColorProperty(COLORS["info"])

    def __init__(self, *, desk: Desk, glyphs: Glyphs, tr: Translator, worker: Worker,
                 card_reader: Callable[[], MyNumberReader],
                 done: Callable[[PrintResult | None], None], **kwargs: Any) -> None:
        self.desk, self.glyphs, self.worker = desk, glyphs, worker
        self.tr = tr  # shared with the desk screen: one language for both
        self.card_reader = card_reader
        self.done = done
        self.application_id = 0
        self.procedure = 0
        self.message_plain = ""
        super().__init__(**kwargs)

    def prepare(self, *, application_id: int, procedure: int, title: str) -> None:
        self.application_id, self.procedure = application_id, procedure
        ids, tr = self.ids, self.tr
        ids.heading.text = self.glyphs.markup(tr("Reading the My Number from the card"),
                                              bold=True)
        ids.procedure.text = self.glyphs.markup(f"{procedure + 1}. {title}")
        ids.steps.text = self.glyphs.markup("\n".join(tr(step) for step in STEPS))
        ids.law.text = self.glyphs.markup(tr(
            "The number is used only to print this form; it is never stored, exported or "
            "logged (My Number Act). Never ask for the PIN or type it for the resident."))
        ids.pin_label.text = tr("PIN (4 digits)")
        ids.last_try_label.text = self.glyphs.markup(
            tr("Use the last try too (only with the resident's consent)"))
        ids.go.text, ids.back.text = tr("Read and print"), tr("Back (do not print)")
        forget_text(ids.pin)
        ids.last_try.active = False
        self.say("info", "")

    def on_enter(self, *_args: Any) -> None:
        Clock.schedule_once(lambda _dt: setattr(self.ids.pin, "focus", True), 0)

    def limit_pin(self, field: Any) -> None:
        if len(field.text) > 4:
            field.text = field.text[:4]

    def say(self, kind: str, text: str) -> None:
        self.message_plain = text
        self.message_bg = COLORS.get(kind, COLORS["info"])
        self.ids.message.text = self.glyphs.markup(text)

    def read_and_print(self) -> None:
        pin = self.ids.pin.text
        forget_text(self.ids.pin)  # emptied now, whatever the card says; no undo brings it back
        if len(pin) != 4 or not pin.isdigit():
            self.say("error", self.tr("The PIN is 4 digits."))
            return
        allow_last = bool(self.ids.last_try.active)
        app_id, procedure, desk, reader = (self.application_id, self.procedure, self.desk,
                                           self.card_reader)

        def job() -> PrintResult:
            try:
                port = reader()
            except CardError as exc:
                raise desk_error(exc) from None
            number = desk.read_my_number(port, pin, application_id=app_id, procedure=procedure,
                                         allow_last_try=allow_last)
            return desk.print_form(app_id, procedure, my_number=number)  # forgets it

        if self.worker.run(job, self._printed, self._failed):
            self.say("info", self.tr("Reading the card…"))

    def _printed(self, result: PrintResult) -> None:
        self.done(result)

    def _failed(self, exc: DeskError) -> None:
        log.info("My Number step: %s", exc.code)  # the code for the log; the words for the clerk
        self.say("error", exc.message_ja if self.tr.lang == "ja" else exc.message_en)
        self.on_enter()

    def back(self) -> None:
        forget_text(self.ids.pin)
        self.done(None)

    def forget(self) -> None:
        """The idle lock and the sign-out: the PIN and which application this was, gone."""
        forget_text(self.ids.pin)
        self.application_id, self.procedure = 0, 0
        self.ids.procedure.text = ""
        self.say("info", "")
